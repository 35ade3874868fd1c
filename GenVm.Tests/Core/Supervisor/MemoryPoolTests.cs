using NUnit.Framework;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>The per-mode memory pools of wasm-abi.md §12 in whole runs (4 294 967 295 units each).</summary>
[TestFixture]
[Category("Executor")]
public sealed class MemoryPoolTests
{
    [Test]
    public async Task Run_InitialMemoryAboveThePool_IsOom()
    {
        // 65536 pages = 2^32 bytes, one more than the pool holds: the initial allocation fails the VM with OOM.
        var run = await ContractRun.RunAsync("(module (memory (export \"memory\") 65536) (func (export \"_start\")))");

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"OOM\")`"));
    }

    [Test]
    public async Task Run_GrowAboveThePool_ReturnsMinusOne()
    {
        // memory.grow that does not fit returns -1 (a normal wasm failure); the contract exits with 1 when it did.
        const string wat = """
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (call $proc_exit (i32.eq (memory.grow (i32.const 65535)) (i32.const -1)))))
            """;

        var run = await ContractRun.RunAsync(wat);

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"exit_code 1\")`"));
    }
}
