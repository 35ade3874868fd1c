using GenVm.Core.Protocol;
using GenVm.Core.Supervisor;
using GenVm.Core.Wasi;
using GenVm.Tests.Wasm.Snapshots;
using GenVm.Wasm;
using GenVm.Wasm.Snapshots;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// <see cref="FileSnapshotStore"/>: a saved <see cref="VmSnapshot"/> loads in another "process" (another Module object)
/// with the same random position, descriptor numbering and file-system trace (files named by length, SHA-256 and
/// origin, never stored), and restores the same instance state; the loaded trace accepts a file system with the same
/// files (by origin or by bytes) and refuses one whose files differ; another key finds nothing; an executor section of
/// another layout deletes the file.
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
        var os = new VirtualFile("import abc\n"u8.ToArray(), "py-lib:0abc\0os.py");
        var site = new VirtualFile("# site\n"u8.ToArray());
        var trace = new DetStartupTrace(
            [
                new("/py/std/os.py", WasiErrno.Success, DetStartupTrace.FileIdentity.Of(os), false),
                new("/py/std/site.py", WasiErrno.Success, DetStartupTrace.FileIdentity.Of(site), false),
                new("/py/std/nope", WasiErrno.Noent, null, false),
                new("/py/std", WasiErrno.Success, null, true),
            ],
            [new("/py/std", "os.py\0site.py")]);
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
        Assert.That(loaded.Trace.Lookups.Select(l => (l.Path, l.Errno, l.IsDirectory)), Is.EqualTo(trace.Lookups.Select(l => (l.Path, l.Errno, l.IsDirectory))));
        Assert.That(loaded.Trace.Lookups.Select(l => l.File?.Contents), Is.All.Null, "file bytes are not stored");
        Assert.That(loaded.Trace.Lookups.Select(l => l.File?.Origin), Is.EqualTo(new[] { "py-lib:0abc\0os.py", null, null, null }));
        Assert.That(loaded.Trace.Lookups.Select(l => l.File?.Length), Is.EqualTo(new long?[] { 11, 7, null, null }));
        Assert.That(loaded.Trace.Listings, Is.EqualTo(trace.Listings));
        Assert.That(SnapshotFixture.Steps(loaded.Instance.Instantiate(SnapshotFixture.Linked(again.Engine), target)), Is.EqualTo(expected));
        Assert.That(store.TryLoad(key with { Args = "python\0-B" }, module), Is.Null, "another key");

        // The same files (os.py by origin, even with other bytes of equal length; site.py by bytes) match; other bytes do not.
        Assert.That(loaded.Trace.Matches(FileSystem(("py/std/os.py", "import xyz\n"u8.ToArray(), "py-lib:0abc\0os.py"), ("py/std/site.py", "# site\n"u8.ToArray(), null))), Is.True);
        Assert.That(loaded.Trace.Matches(FileSystem(("py/std/os.py", "import abc\n"u8.ToArray(), null), ("py/std/site.py", "# site\n"u8.ToArray(), "py-lib:1def\0site.py"))), Is.True);
        Assert.That(loaded.Trace.Matches(FileSystem(("py/std/os.py", "import xyz\n"u8.ToArray(), "py-lib:1def\0os.py"), ("py/std/site.py", "# site\n"u8.ToArray(), null))), Is.False, "other origin, other bytes");
        Assert.That(loaded.Trace.Matches(FileSystem(("py/std/os.py", "import abc\n"u8.ToArray(), null), ("py/std/site.py", "# Site\n"u8.ToArray(), null))), Is.False, "other bytes");
        Assert.That(loaded.Trace.Matches(FileSystem(("py/std/os.py", "import abc\n\n"u8.ToArray(), "py-lib:0abc\0os.py"), ("py/std/site.py", "# site\n"u8.ToArray(), null))), Is.False, "other length");
    }

    [Test]
    public void Decode_FileGivenForAMissingPath_Throws()
    {
        var trace = new DetStartupTrace([new("/py/std/nope", WasiErrno.Noent, DetStartupTrace.FileIdentity.Of(new VirtualFile("x"u8.ToArray())), false)], []);
        var engine = new Engine();
        using var snapshot = new VmSnapshot(SnapshotFixture.Capture(SnapshotFixture.Load(engine)), 0, (4, [], 0), trace);

        Assert.That(() => FileSnapshotStore.Decode(FileSnapshotStore.Encode(snapshot)), Throws.TypeOf<SnapshotFormatException>());
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

    private static VirtualFileSystem FileSystem(params (string Path, byte[] Contents, string? Origin)[] files)
    {
        var fileSystem = new VirtualFileSystem();
        foreach (var (path, contents, origin) in files)
        {
            fileSystem.MapFile(path, contents, origin);
        }

        return fileSystem;
    }
}
