using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

[TestFixture]
public sealed class RunnerArchiveCacheTests
{
    private static RunnerArchive Archive(int size) => new(RunnerArchive.NewMemberMap(), size);

    [Test]
    public void GetOrAdd_SameKey_LoadsOnce()
    {
        var cache = new RunnerArchiveCache();
        var loads = 0;
        var first = cache.GetOrAdd("a:1", () => { loads++; return Archive(10); });
        var second = cache.GetOrAdd("a:1", () => { loads++; return Archive(10); });
        Assert.That(second, Is.SameAs(first));
        Assert.That(loads, Is.EqualTo(1));
    }

    [Test]
    public void GetOrAdd_OverCapacity_EvictsLeastRecentlyUsed()
    {
        var cache = new RunnerArchiveCache(capacityBytes: 100);
        var a = cache.GetOrAdd("a", () => Archive(40));
        cache.GetOrAdd("b", () => Archive(40));
        Assert.That(cache.GetOrAdd("a", () => Archive(1)), Is.SameAs(a), "a is now the most recent");
        cache.GetOrAdd("c", () => Archive(40));
        Assert.That(cache.Count, Is.EqualTo(2));
        Assert.That(cache.GetOrAdd("a", () => Archive(1)), Is.SameAs(a), "b was evicted, not a");
        var reloaded = 0;
        cache.GetOrAdd("b", () => { reloaded++; return Archive(40); });
        Assert.That(reloaded, Is.EqualTo(1));
    }

    [Test]
    public void GetOrAdd_SingleArchiveLargerThanCapacity_StillKept()
    {
        var cache = new RunnerArchiveCache(capacityBytes: 10);
        var big = cache.GetOrAdd("big", () => Archive(1000));
        Assert.That(cache.GetOrAdd("big", () => Archive(1)), Is.SameAs(big));
    }

    [Test]
    public void GetOrAdd_FailingLoad_NotCachedAndRethrown()
    {
        var cache = new RunnerArchiveCache();
        Assert.Throws<RunnerLoadException>(() => cache.GetOrAdd("x", () => throw RunnerLoadException.Invalid("bad")));
        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public void GetOrAdd_ConcurrentCallers_AllGetOneInstance()
    {
        var cache = new RunnerArchiveCache();
        var results = new RunnerArchive[64];
        Parallel.For(0, results.Length, i => results[i] = cache.GetOrAdd("k", () => Archive(5)));
        Assert.That(results.Distinct().Count(), Is.EqualTo(1));
    }
}
