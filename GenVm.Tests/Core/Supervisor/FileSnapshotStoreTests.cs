using GenVm.Core.Protocol;
using GenVm.Core.Supervisor;
using GenVm.Core.Wasi;
using GenVm.Tests.Wasm.Snapshots;
using GenVm.Wasm;
using GenVm.Wasm.Snapshots;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// <see cref="FileSnapshotStore"/>: a saved <see cref="VmSnapshot"/> loads in another "process" (another Module object)
/// with the same random position, descriptor numbering and file-system trace, and restores the same instance state;
/// another key finds nothing; an executor section of another layout deletes the file.
/// </summary>
[TestFixture]
public sealed class FileSnapshotStoreTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("genvm-filestore-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void TryLoad_Saved_ReturnsEqualSnapshot()
    {
        var engine = new Engine();
        var module = SnapshotFixture.Load(engine);
        var expected = SnapshotFixture.Reference(module);
        var trace = new DetStartupTrace(
            [new("/py/std/os.py", WasiErrno.Success, "import abc\n"u8.ToArray(), false), new("/py/std/nope", WasiErrno.Noent, null, false), new("/py/std", WasiErrno.Success, null, true)],
            [new("/py/std", "os.py\0encodings/")]);
        var key = new VmSnapshotKey(engine, "det-softfloat", "ab", "python\0-c", "A=1");
        var store = new FileSnapshotStore(new SnapshotCache(_directory));
        using (var saved = new VmSnapshot(SnapshotFixture.Capture(module), 624, (9, [5, 7], 3), trace))
        {
            store.Save(key, saved);
        }

        var again = SnapshotFixture.Load(new Engine());
        using var loaded = store.TryLoad(key with { Engine = again.Engine }, again);
        using var target = new Store(again.Engine);

        Assert.That(loaded, Is.Not.Null);
        Assert.That(loaded!.RandomWords, Is.EqualTo(624));
        Assert.That(loaded.Descriptors.Next, Is.EqualTo(9u));
        Assert.That(loaded.Descriptors.Free, Is.EqualTo(new uint[] { 5, 7 }));
        Assert.That(loaded.Descriptors.NewNumbers, Is.EqualTo(3));
        Assert.That(loaded.Trace.Lookups.Select(l => (l.Path, l.Errno, l.Contents?.ToArray(), l.IsDirectory)), Is.EqualTo(trace.Lookups.Select(l => (l.Path, l.Errno, l.Contents?.ToArray(), l.IsDirectory))));
        Assert.That(loaded.Trace.Listings, Is.EqualTo(trace.Listings));
        Assert.That(SnapshotFixture.Steps(loaded.Instance.Instantiate(SnapshotFixture.Linked(again.Engine), target)), Is.EqualTo(expected));
        Assert.That(store.TryLoad(key with { Args = "python\0-B" }, module), Is.Null, "another key");
    }

    [Test]
    public void TryLoad_SectionOfAnotherLayout_DeletesTheFile()
    {
        var engine = new Engine();
        var module = SnapshotFixture.Load(engine);
        var key = new VmSnapshotKey(engine, "det", "ab", "python", string.Empty);
        var cache = new SnapshotCache(_directory);
        var variant = System.Text.Encoding.UTF8.GetBytes(key.Digest);
        using (var foreign = new StoredSnapshot(SnapshotFixture.Capture(module), embedderData: "genvm-vm-snapshot-section/0"u8.ToArray()))
        {
            Assert.That(cache.TryStore(variant, foreign), Is.True);
        }

        Assert.That(new FileSnapshotStore(cache).TryLoad(key, module), Is.Null);
        Assert.That(File.Exists(cache.PathOf(module, variant)), Is.False);
    }
}
