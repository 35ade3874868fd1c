using System.Text;
using GenVm.Core.Pool;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Pool;

/// <summary>The in-process execution pool over real Unix sockets against the test node.</summary>
[TestFixture]
[Category("Executor")]
public sealed class ExecutionPoolTests
{
    private const string Trivial = "(module (memory (export \"memory\") 1) (func (export \"_start\")))";

    [Test]
    public async Task RunAsync_SecondExecution_HitsTheInMemoryModuleCache()
    {
        using var pool = new ExecutionPool(new ExecutionPoolOptions());

        var (first, _) = await PoolRun.RunWatAsync(pool, Trivial);
        var missesAfterFirst = pool.Modules.Misses;
        var (second, _) = await PoolRun.RunWatAsync(pool, Trivial);

        Assert.That(first.Outcome!.Result.Kind, Is.EqualTo(ResultCode.Return));
        Assert.That(second.Outcome!.Result.Kind, Is.EqualTo(ResultCode.Return));
        Assert.That(missesAfterFirst, Is.EqualTo(1), "the first execution compiles the contract");
        Assert.That(pool.Modules.Misses, Is.EqualTo(1), "the second execution compiles nothing");
        Assert.That(pool.Modules.Hits, Is.GreaterThanOrEqualTo(1));
        Assert.That(pool.Workers.Started, Is.EqualTo(1), "the second execution ran on the first one's wasm thread");
        Assert.That(pool.Workers.Reused, Is.EqualTo(1));
    }

    [Test]
    public async Task RunAsync_DifferentCodeAtTheSameAddress_IsNotServedFromTheCache()
    {
        // Keys are content hashes: the contract key `on_chain:0x01…` is the same for both.
        using var pool = new ExecutionPool(new ExecutionPoolOptions());

        var (exit3, _) = await PoolRun.RunWatAsync(pool, ExitWith(3));
        var (exit4, _) = await PoolRun.RunWatAsync(pool, ExitWith(4));

        Assert.That(exit3.Outcome!.Result.Message, Is.EqualTo("exit_code 3"));
        Assert.That(exit4.Outcome!.Result.Message, Is.EqualTo("exit_code 4"));
        Assert.That(pool.Modules.Misses, Is.EqualTo(2));
    }

    [Test]
    public async Task RunAsync_HostCallbackThrows_EndsAsInternalErrorAndTheNextExecutionWorks()
    {
        using var pool = new ExecutionPool(new ExecutionPoolOptions());

        // fd_write's stream throws an unexpected exception inside the host callback.
        var (crashed, crashedNode) = await PoolRun.RunWatAsync(pool, PoolRun.Printer("x", 1), new ThrowingStream());
        var (next, _) = await PoolRun.RunWatAsync(pool, PoolRun.Printer("after\n", 1));

        Assert.That(crashed.Outcome!.Result.Kind, Is.EqualTo(ResultCode.InternalError));
        Assert.That(crashed.Outcome.Result.Message, Does.Contain(ThrowingStream.Text));
        // host-protocol.md §9: the internal error reaches the host as code 02 followed by the text.
        Assert.That(crashedNode.Result![0], Is.EqualTo(0x02));
        Assert.That(Encoding.UTF8.GetString(crashedNode.Result.AsSpan(1)), Does.Contain(ThrowingStream.Text));
        Assert.That(pool.Contained, Is.EqualTo(1));
        Assert.That(next.Outcome!.Result.Kind, Is.EqualTo(ResultCode.Return));
        Assert.That(Encoding.UTF8.GetString(next.Stdout), Is.EqualTo("after\n"));
    }

    [Test]
    public async Task RunAsync_ChargeBeyondTheProcessCap_IsOom()
    {
        // Two pages (131072 bytes) fit each execution pool (wasm-abi.md §12) but not the process cap.
        const string twoPages = "(module (memory (export \"memory\") 2) (func (export \"_start\")))";
        using var capped = new ExecutionPool(new ExecutionPoolOptions { ProcessMemoryCap = 100_000 });
        using var uncapped = new ExecutionPool(new ExecutionPoolOptions());

        var (refused, _) = await PoolRun.RunWatAsync(capped, twoPages);
        var (fits, _) = await PoolRun.RunWatAsync(capped, Trivial);
        var (allowed, _) = await PoolRun.RunWatAsync(uncapped, twoPages);

        Assert.That(refused.Outcome!.Result.Kind, Is.EqualTo(ResultCode.VmError));
        Assert.That(refused.Outcome.Result.Message, Is.EqualTo("OOM"));
        Assert.That(fits.Outcome!.Result.Kind, Is.EqualTo(ResultCode.Return), "one page fits the cap");
        Assert.That(allowed.Outcome!.Result.Kind, Is.EqualTo(ResultCode.Return));
        Assert.That(capped.ProcessMemory.Available, Is.EqualTo(100_000), "every charge went back when the executions ended");
    }

    [Test]
    public async Task RunAsync_GrowBeyondTheProcessCap_ReturnsMinusOne()
    {
        // memory.grow that does not fit the cap fails like an exhausted pool: -1 (wasm-abi.md §12).
        const string wat = """
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (call $proc_exit (i32.eq (memory.grow (i32.const 16)) (i32.const -1)))))
            """;
        using var pool = new ExecutionPool(new ExecutionPoolOptions { ProcessMemoryCap = 512 * 1024 });

        var (result, _) = await PoolRun.RunWatAsync(pool, wat);

        Assert.That(result.Outcome!.Result.Message, Is.EqualTo("exit_code 1"));
    }

    [Test]
    public async Task RunAsync_TwoConcurrentExecutions_CaptureOnlyTheirOwnOutput()
    {
        using var pool = new ExecutionPool(new ExecutionPoolOptions());

        var a = PoolRun.RunWatAsync(pool, PoolRun.Printer("AAAA\n", 300));
        var b = PoolRun.RunWatAsync(pool, PoolRun.Printer("BB\n", 500));
        await Task.WhenAll(a, b);

        Assert.That(Encoding.UTF8.GetString((await a).Result.Stdout), Is.EqualTo(string.Concat(Enumerable.Repeat("AAAA\n", 300))));
        Assert.That(Encoding.UTF8.GetString((await b).Result.Stdout), Is.EqualTo(string.Concat(Enumerable.Repeat("BB\n", 500))));
    }

    [Test]
    public async Task RunAsync_OutputBeyondTheCaptureLimit_IsCut()
    {
        using var pool = new ExecutionPool(new ExecutionPoolOptions { CapturedOutputBytes = 10 });

        var (result, _) = await PoolRun.RunWatAsync(pool, PoolRun.Printer("0123456\n", 2));

        Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo("0123456\n01"));
        Assert.That(result.OutputTruncated, Is.True);
    }

    [Test]
    public async Task RunAsync_HostUnreachable_IsAFailureNotAnException()
    {
        using var pool = new ExecutionPool(new ExecutionPoolOptions());
        var missing = "unix://" + Path.Combine(Path.GetTempPath(), $"genvm-missing-{Guid.NewGuid():N}.sock");

        var result = await pool.RunAsync(new ExecutionRequest { HostAddress = missing, Message = GenVm.Core.Messages.MessageJson.Parse(Supervisor.ContractRun.MessageJson) }, CancellationToken.None);

        Assert.That(result.Outcome, Is.Null);
        Assert.That(result.Failure, Is.Not.Empty);
    }

    private static string ExitWith(int code) => $$"""
        (module
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (func (export "_start") (call $proc_exit (i32.const {{code}}))))
        """;
}
