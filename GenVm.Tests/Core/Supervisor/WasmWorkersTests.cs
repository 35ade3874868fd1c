using GenVm.Core.Supervisor;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>Reusable large-stack wasm threads.</summary>
[TestFixture]
public sealed class WasmWorkersTests
{
    [Test]
    public async Task RunAsync_SequentialWork_ReusesOneThread()
    {
        using var workers = new WasmWorkers(maxIdle: 2);

        var first = await workers.RunAsync(() => Environment.CurrentManagedThreadId);
        var second = await workers.RunAsync(() => Environment.CurrentManagedThreadId);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(workers.Started, Is.EqualTo(1));
        Assert.That(workers.Reused, Is.EqualTo(1));
    }

    [Test]
    public async Task RunAsync_WorkWaitingForNestedWork_StartsAnotherThreadInsteadOfDeadlocking()
    {
        // A VM blocks its thread on a sub-VM: the sub-VM must not wait for that thread.
        using var workers = new WasmWorkers(maxIdle: 0);

        var result = await workers.RunAsync(() => workers.RunAsync(() => 7).GetAwaiter().GetResult() + 1).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(result, Is.EqualTo(8));
        Assert.That(workers.Started, Is.EqualTo(2));
    }

    [Test]
    public async Task RunAsync_WorkThrows_FaultsTheTaskAndTheThreadServesTheNextWork()
    {
        using var workers = new WasmWorkers(maxIdle: 1);

        var failed = workers.RunAsync<int>(() => throw new InvalidOperationException("boom"));
        Assert.That(async () => await failed, Throws.InvalidOperationException.With.Message.EqualTo("boom"));
        var next = await workers.RunAsync(() => 5);

        Assert.That(next, Is.EqualTo(5));
        Assert.That(workers.Started, Is.EqualTo(1));
    }

    [Test]
    public async Task RunAsync_OnAWorker_HasTheLargeStack()
    {
        using var workers = new WasmWorkers(maxIdle: 1, stackBytes: 64 * 1024 * 1024);

        // 40 MB of stack in one frame chain would overflow a default 1.5 MB thread.
        var depth = await workers.RunAsync(() => Recurse(20_000));

        Assert.That(depth, Is.EqualTo(20_000));
    }

    private static unsafe int Recurse(int n)
    {
        var frame = stackalloc byte[2048];
        frame[0] = (byte)n;
        return n == 0 ? frame[0] : Recurse(n - 1) + 1;
    }
}
