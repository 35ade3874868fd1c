using GenVm.Wasm;

namespace GenVm.Tests.Wasm;

/// <summary>A pool under a parent cap (an execution pool's process-wide cap over per-execution pools).</summary>
[TestFixture]
public sealed class ResourcePoolTests
{
    [Test]
    public void TryCharge_FitsChildButNotParent_TakesNothing()
    {
        var parent = new ResourcePool(100);
        var child = new ResourcePool(1000, parent);
        var account = new PoolLimiter(child);

        Assert.That(account.TryCharge(150), Is.False);
        Assert.That(child.Available, Is.EqualTo(1000));
        Assert.That(parent.Available, Is.EqualTo(100));
    }

    [Test]
    public void ReleaseAll_AfterCharges_GivesBackToChildAndParent()
    {
        var parent = new ResourcePool(100);
        var first = new PoolLimiter(new ResourcePool(1000, parent));
        var second = new PoolLimiter(new ResourcePool(1000, parent));

        Assert.That(first.TryCharge(60), Is.True);
        Assert.That(second.TryCharge(60), Is.False, "the two children share the parent's 100");
        first.ReleaseAll();

        Assert.That(second.TryCharge(60), Is.True);
        Assert.That(parent.Available, Is.EqualTo(40));
        Assert.That(first.Pool.Available, Is.EqualTo(1000));
    }

    [Test]
    public void Donate_UnderAParent_GrowsOnlyTheChild()
    {
        // The fd 0 quirk (wasm-abi.md §12) belongs to the execution's pool, not to the process cap.
        var parent = new ResourcePool(100);
        var child = new ResourcePool(10, parent);

        new PoolLimiter(child).Donate(50);

        Assert.That(child.Available, Is.EqualTo(60));
        Assert.That(parent.Available, Is.EqualTo(100));
    }
}
