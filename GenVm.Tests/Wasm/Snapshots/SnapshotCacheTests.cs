using System.Buffers.Binary;
using GenVm.Wasm;
using GenVm.Wasm.Snapshots;

namespace GenVm.Tests.Wasm.Snapshots;

/// <summary>
/// <see cref="SnapshotCache"/>: a miss builds and stores, a hit reads the file without building; a damaged,
/// foreign-version or foreign-module file is deleted and rebuilt; concurrent writers and readers of one entry never
/// see a partial file.
/// </summary>
[TestFixture]
public sealed class SnapshotCacheTests
{
    private static readonly byte[] Variant = "python -c print(1+1)"u8.ToArray();

    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("genvm-snapcache-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void GetOrCreate_MissThenHit_BuildsOnceThenReadsTheFile()
    {
        var cache = new SnapshotCache(Path.Combine(_directory, "snapshots"));
        var module = SnapshotFixture.Load(new Engine());
        var expected = SnapshotFixture.Reference(module);
        var builds = 0;

        using (var first = cache.GetOrCreate(module, Variant, () => Build(module, ref builds)))
        {
            Assert.That(first.IsFromFile, Is.False);
        }

        // A fresh process: another Module object from the same bytes.
        var again = SnapshotFixture.Load(new Engine());
        using var second = cache.GetOrCreate(again, Variant, () => Build(again, ref builds));
        using var store = new Store(again.Engine);

        Assert.That(builds, Is.EqualTo(1));
        Assert.That(second.IsFromFile, Is.True);
        Assert.That(second.EmbedderData.ToArray(), Is.EqualTo("state"u8.ToArray()));
        Assert.That(SnapshotFixture.Steps(second.Snapshot.Instantiate(SnapshotFixture.Linked(again.Engine), store)), Is.EqualTo(expected));
    }

    [Test]
    public void PathOf_OtherVariantOrModule_OtherFile()
    {
        var cache = new SnapshotCache(_directory);
        var module = SnapshotFixture.Load(new Engine());
        var other = WatCompiler.Load(new Engine(), SnapshotFixture.Wat.Replace("(i32.const 11)", "(i32.const 12)", StringComparison.Ordinal));

        Assert.That(cache.PathOf(module, Variant), Is.EqualTo(cache.PathOf(SnapshotFixture.Load(new Engine()), Variant)));
        Assert.That(cache.PathOf(module, "other"u8), Is.Not.EqualTo(cache.PathOf(module, Variant)));
        Assert.That(cache.PathOf(other, Variant), Is.Not.EqualTo(cache.PathOf(module, Variant)));
        Assert.That(cache.PathOf(SnapshotFixture.Load(new Engine(new EngineConfig().WithFloatPolicy(FloatPolicy.SoftFloat))), Variant), Is.Not.EqualTo(cache.PathOf(module, Variant)));
    }

    [TestCase("flipped byte")]
    [TestCase("truncated")]
    [TestCase("empty")]
    [TestCase("foreign version")]
    [TestCase("foreign module")]
    public void GetOrCreate_UntrustedFile_DeletedAndRebuilt(string damage)
    {
        var cache = new SnapshotCache(_directory);
        var module = SnapshotFixture.Load(new Engine());
        var path = cache.PathOf(module, Variant);
        var builds = 0;
        cache.GetOrCreate(module, Variant, () => Build(module, ref builds)).Dispose();
        var good = File.ReadAllBytes(path);
        var bytes = (byte[])good.Clone();
        switch (damage)
        {
            case "flipped byte":
                bytes[bytes.Length - 100] ^= 1;
                break;
            case "truncated":
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case "empty":
                bytes = [];
                break;
            case "foreign version":
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 999);
                bytes = SnapshotFileTests.Rehashed(bytes);
                break;
            default:
                var other = WatCompiler.Load(new Engine(), SnapshotFixture.Wat.Replace("(i32.const 11)", "(i32.const 12)", StringComparison.Ordinal));
                var otherBuilds = 0;
                cache.GetOrCreate(other, Variant, () => Build(other, ref otherBuilds)).Dispose();
                bytes = File.ReadAllBytes(cache.PathOf(other, Variant));
                break;
        }

        File.WriteAllBytes(path, bytes);

        Assert.That(cache.TryLoad(module, Variant), Is.Null);
        Assert.That(File.Exists(path), Is.False, "an untrusted file is deleted");
        using (var rebuilt = cache.GetOrCreate(module, Variant, () => Build(module, ref builds)))
        {
            Assert.That(rebuilt.IsFromFile, Is.False);
        }

        Assert.That(builds, Is.EqualTo(2));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(good), "the rebuilt file equals the first one");
    }

    [Test]
    public void TryStore_ConcurrentWritersAndReaders_EveryReadSeesAWholeFile()
    {
        var cache = new SnapshotCache(_directory);
        var module = SnapshotFixture.Load(new Engine());
        var expected = SnapshotFixture.Reference(module);
        var builds = 0;
        using var contents = Build(module, ref builds);
        cache.TryStore(Variant, contents);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 4, worker =>
        {
            for (var i = 0; i < 15; i++)
            {
                if (worker % 2 == 0)
                {
                    if (!cache.TryStore(Variant, contents))
                    {
                        failures.Add("a write failed");
                    }

                    continue;
                }

                // Read the file straight (not TryLoad, which would delete a damaged file and hide the failure).
                try
                {
                    using var read = SnapshotFile.Read(cache.PathOf(module, Variant), module);
                    using var store = new Store(module.Engine);
                    var (steps, memory) = SnapshotFixture.Steps(read.Snapshot.Instantiate(SnapshotFixture.Linked(module.Engine), store));
                    if (!steps.SequenceEqual(expected.Steps) || memory != expected.Memory)
                    {
                        failures.Add("a read restored other state");
                    }
                }
                catch (Exception ex)
                {
                    failures.Add(ex.GetType().Name + ": " + ex.Message);
                }
            }
        });

        Assert.That(failures, Is.Empty);
        Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1), "no temporary file left behind");
    }

    private static StoredSnapshot Build(Module module, ref int builds)
    {
        builds++;
        return new StoredSnapshot(SnapshotFixture.Capture(module), embedderData: "state"u8.ToArray());
    }
}
