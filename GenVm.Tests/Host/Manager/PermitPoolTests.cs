using GenVm.Host.Manager;

namespace GenVm.Tests.Host.Manager;

[TestFixture]
public sealed class PermitPoolTests
{
    [Test]
    public async Task AcquireAsync_WaitersServedInArrivalOrder_LargeHeadBlocksSmallerBehindIt()
    {
        var pool = new PermitPool(2);
        await pool.AcquireAsync(1, CancellationToken.None);
        await pool.AcquireAsync(1, CancellationToken.None);
        var order = new List<string>();
        var big = pool.AcquireAsync(2, CancellationToken.None).ContinueWith(_ => { lock (order) { order.Add("big"); } }, TaskScheduler.Default);
        var small = pool.AcquireAsync(1, CancellationToken.None).ContinueWith(_ => { lock (order) { order.Add("small"); } }, TaskScheduler.Default);

        pool.Release(1);

        // One permit is free, but the 2-permit waiter is first in line: the 1-permit waiter behind it must not pass.
        Assert.That(big.IsCompleted || small.IsCompleted, Is.False);
        Assert.That(pool.Available, Is.EqualTo(1));
        Assert.That(pool.Waiting, Is.EqualTo(2));

        pool.Release(1);
        await big.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(small.IsCompleted, Is.False);

        pool.Release(2);
        await small.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(order, Is.EqualTo(new[] { "big", "small" }));
        Assert.That(pool.Available, Is.EqualTo(1));
    }

    [Test]
    public async Task AcquireAsync_ManyWaiters_CompleteInFifoOrder()
    {
        var pool = new PermitPool(2);
        await pool.AcquireAsync(2, CancellationToken.None);
        var order = new List<int>();
        var waiters = Enumerable.Range(0, 10)
            .Select(i => pool.AcquireAsync(i % 2 == 0 ? 1 : 2, CancellationToken.None).ContinueWith(_ => { lock (order) { order.Add(i); } }, TaskScheduler.Default))
            .ToList();

        for (var i = 0; i < 10; i++)
        {
            // Exactly the head's weight is released each round, so only the head can be served.
            pool.Release(i % 2 == 0 ? 1 : 2);
            await waiters[i].WaitAsync(TimeSpan.FromSeconds(10));
            Assert.That(pool.Available, Is.Zero);
        }

        Assert.That(order, Is.EqualTo(Enumerable.Range(0, 10)));
    }

    [Test]
    public async Task AcquireAsync_CancelledHead_UnblocksTheWaiterBehind()
    {
        var pool = new PermitPool(2);
        await pool.AcquireAsync(1, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var head = pool.AcquireAsync(2, cancel.Token);
        var behind = pool.AcquireAsync(1, CancellationToken.None);
        Assert.That(behind.IsCompleted, Is.False);

        await cancel.CancelAsync();

        Assert.That(async () => await head, Throws.InstanceOf<OperationCanceledException>());
        await behind.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(pool.Available, Is.Zero);
        Assert.That(pool.Waiting, Is.Zero);
    }

    [Test]
    public async Task SetTotalAsync_Increase_AddsPermitsAtOnceAndWakesWaiters()
    {
        var pool = new PermitPool(2);
        await pool.AcquireAsync(2, CancellationToken.None);
        var waiter = pool.AcquireAsync(2, CancellationToken.None);

        var (total, accepted) = await pool.SetTotalAsync(4, CancellationToken.None);

        Assert.That((total, accepted), Is.EqualTo((4, true)));
        await waiter.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(pool.Available, Is.Zero);
    }

    [Test]
    public async Task SetTotalAsync_BelowTwo_RefusedAndTotalUnchanged()
    {
        var pool = new PermitPool(3);

        var result = await pool.SetTotalAsync(1, CancellationToken.None);

        Assert.That(result, Is.EqualTo((3, false)));
        Assert.That(pool.Available, Is.EqualTo(3));
    }

    [Test]
    public async Task SetTotalAsync_Decrease_WaitsForRunningExecutionsThenHoldsThrottle()
    {
        var pool = new PermitPool(4);
        await pool.AcquireAsync(4, CancellationToken.None);

        var decrease = pool.SetTotalAsync(2, CancellationToken.None);
        Assert.That(decrease.IsCompleted, Is.False);
        Assert.That(pool.Total, Is.EqualTo(4));

        pool.Release(4);
        var (total, accepted) = await decrease.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That((total, accepted), Is.EqualTo((2, true)));
        Assert.That(pool.Available, Is.EqualTo(2));

        // The next call first gives the throttle back (total 4 again), then applies its own value.
        var again = await pool.SetTotalAsync(6, CancellationToken.None);
        Assert.That(again, Is.EqualTo((6, true)));
        Assert.That(pool.Available, Is.EqualTo(6));
    }

    [Test]
    public async Task SetTotalAsync_RefusedAfterDecrease_StillReleasesThrottle()
    {
        var pool = new PermitPool(4);
        await pool.SetTotalAsync(2, CancellationToken.None);
        Assert.That(pool.Total, Is.EqualTo(2));

        var refused = await pool.SetTotalAsync(0, CancellationToken.None);

        Assert.That(refused, Is.EqualTo((4, false)));
        Assert.That(pool.Available, Is.EqualTo(4));
    }
}
