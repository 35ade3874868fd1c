using GenVm.Core.Pool;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Pool;

/// <summary>wasm-abi.md §12 <c>fd_allocation</c>: every brand-new descriptor number costs 96 units of the VM's pool.</summary>
[TestFixture]
[Category("Executor")]
public sealed class DescriptorChargeTests
{
    // Opens "." under fd 3 (the root directory) `count` times without closing: each open takes a brand-new number.
    // A failed open exits with 100 + errno.
    private static string Opener(int count) => $$"""
        (module
          (import "wasi_snapshot_preview1" "path_open"
            (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) ".")
          (func (export "_start") (local $i i32) (local $errno i32)
            (loop $again
              (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 0)
                (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 32)))
              (if (local.get $errno) (then (call $proc_exit (i32.add (i32.const 100) (local.get $errno)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $again (i32.lt_u (local.get $i) (i32.const {{count}}))))))
        """;

    [Test]
    public async Task Run_NewDescriptorNumbersBeyondThePool_IsOom()
    {
        // One page (65536) plus the archive fit; 1000 numbers (96 000 units) do not.
        using var pool = new ExecutionPool(new ExecutionPoolOptions { ExecutionMemory = 65536 + 50_000 });

        var (result, _) = await PoolRun.RunWatAsync(pool, Opener(1000));

        Assert.That(result.Outcome!.Result.Message, Is.EqualTo("OOM"));
    }

    [Test]
    public async Task Run_NewDescriptorNumbersWithinThePool_Return()
    {
        using var pool = new ExecutionPool(new ExecutionPoolOptions { ExecutionMemory = 65536 + 50_000, ProcessMemoryCap = 200_000 });

        var (result, _) = await PoolRun.RunWatAsync(pool, Opener(100));

        Assert.That(result.Outcome!.Result.Kind, Is.EqualTo(ResultCode.Return), result.Outcome.Result.Message);
        Assert.That(pool.ProcessMemory.Available, Is.EqualTo(200_000), "the numbers were given back with the VM");
    }
}
