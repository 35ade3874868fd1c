using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Wasm.Wasi;

[TestFixture]
public sealed class HostDirectoryFileSystemTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("genvm-wasi-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllText(Path.Combine(_root, "sub", "b.txt"), "bee");
        File.WriteAllText(Path.Combine(_root, "a.txt"), "hello");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void OpenFile_ExistingFile_ReadsAtOffsets()
    {
        var fs = new HostDirectoryFileSystem(_root, readOnly: true);
        Assert.That(fs.OpenFile("a.txt", false, false, false, false, out var file), Is.EqualTo(WasiErrno.Success));
        using (file)
        {
            var buffer = new byte[8];
            Assert.That(file!.Read(buffer, 1), Is.EqualTo(4));
            Assert.That(System.Text.Encoding.ASCII.GetString(buffer, 0, 4), Is.EqualTo("ello"));
            Assert.That(file.Stat().Size, Is.EqualTo(5UL));
        }
    }

    [Test]
    public void OpenFile_WriteOnReadOnly_ReturnsRofs()
    {
        var fs = new HostDirectoryFileSystem(_root, readOnly: true);
        Assert.That(fs.OpenFile("new.txt", true, true, false, false, out _), Is.EqualTo(WasiErrno.ReadOnlyFileSystem));
        Assert.That(fs.CreateDirectory("d"), Is.EqualTo(WasiErrno.ReadOnlyFileSystem));
        Assert.That(File.Exists(Path.Combine(_root, "new.txt")), Is.False);
    }

    [Test]
    public void OpenFile_CreateOnReadWrite_WritesHostFile()
    {
        var fs = new HostDirectoryFileSystem(_root, readOnly: false);
        Assert.That(fs.OpenFile("sub/new.txt", true, true, true, false, out var file), Is.EqualTo(WasiErrno.Success));
        using (file)
        {
            Assert.That(file!.Write("xyz"u8, 0), Is.EqualTo(WasiErrno.Success));
        }

        Assert.That(File.ReadAllText(Path.Combine(_root, "sub", "new.txt")), Is.EqualTo("xyz"));
        Assert.That(fs.OpenFile("sub/new.txt", true, true, true, false, out _), Is.EqualTo(WasiErrno.Exists));
    }

    [Test]
    public void OpenFile_Missing_ReturnsNoEntry()
    {
        var fs = new HostDirectoryFileSystem(_root, readOnly: true);
        Assert.That(fs.OpenFile("nope.txt", false, false, false, false, out _), Is.EqualTo(WasiErrno.NoEntry));
        Assert.That(fs.Stat("nope", out _), Is.EqualTo(WasiErrno.NoEntry));
    }

    [Test]
    public void ReadDirectory_Root_ListsChildrenSortedWithTypes()
    {
        var fs = new HostDirectoryFileSystem(_root, readOnly: true);
        Assert.That(fs.ReadDirectory(string.Empty, out var entries), Is.EqualTo(WasiErrno.Success));
        Assert.That(entries, Is.EqualTo(new[]
        {
            new WasiDirectoryEntry("a.txt", WasiFileType.RegularFile),
            new WasiDirectoryEntry("sub", WasiFileType.Directory),
        }));
    }

    [Test]
    public void Stat_SymlinkOutsideRoot_ReturnsNotCapable()
    {
        var outside = Directory.CreateTempSubdirectory("genvm-wasi-outside-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(_root, "escape"), outside);
            var fs = new HostDirectoryFileSystem(_root, readOnly: true);
            Assert.That(fs.Stat("escape", out _), Is.EqualTo(WasiErrno.NotCapable));
            Assert.That(fs.OpenFile("escape/x", false, false, false, false, out _), Is.EqualTo(WasiErrno.NotCapable));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }
}
