using System.Text;
using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Wasm.Wasi;

/// <summary>The WASI functions called from a real guest instance (through <see cref="WasiGuest"/>).</summary>
[TestFixture]
public sealed class WasiHostTests
{
    private const int Iovs = 1024;
    private const int Data = 2048;
    private const int Result = 4096;
    private const int OutOfBounds = 70_000;

    private string _root = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("genvm-wasi-guest-").FullName;
        File.WriteAllText(Path.Combine(_root, "hello.txt"), "hello, file\n");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void FdWrite_Stdout_WritesGatheredBytesAndCount()
    {
        var stdout = new MemoryStream();
        using var guest = new WasiGuest(new WasiConfiguration { Stdout = stdout });
        guest.WriteString(Data, "hello, world");
        guest.WriteU32(Iovs, Data);
        guest.WriteU32(Iovs + 4, 7);
        guest.WriteU32(Iovs + 8, Data + 7);
        guest.WriteU32(Iovs + 12, 5);
        Assert.That(guest.Call("fd_write", 1, Iovs, 2, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU32(Result), Is.EqualTo(12u));
        Assert.That(Encoding.UTF8.GetString(stdout.ToArray()), Is.EqualTo("hello, world"));
    }

    [Test]
    public void FdWrite_IovecOutOfBounds_ReturnsFaultWithoutThrowing()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Stdout = new MemoryStream() });
        guest.WriteU32(Iovs, OutOfBounds);
        guest.WriteU32(Iovs + 4, 4);
        Assert.That(guest.Call("fd_write", 1, Iovs, 1, Result), Is.EqualTo(WasiErrno.Fault));
        Assert.That(guest.Call("fd_write", 1, OutOfBounds, 1, Result), Is.EqualTo(WasiErrno.Fault));
        Assert.That(guest.Call("fd_write", 1, Iovs, 0, OutOfBounds), Is.EqualTo(WasiErrno.Fault));
    }

    [Test]
    public void FdWrite_UnknownDescriptor_ReturnsBadf()
    {
        using var guest = new WasiGuest(new WasiConfiguration());
        Assert.That(guest.Call("fd_write", 9, Iovs, 0, Result), Is.EqualTo(WasiErrno.BadDescriptor));
    }

    [Test]
    public void FdRead_Stdin_ReadsIntoIovec()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Stdin = new MemoryStream("input"u8.ToArray()) });
        guest.WriteU32(Iovs, Data);
        guest.WriteU32(Iovs + 4, 100);
        Assert.That(guest.Call("fd_read", 0, Iovs, 1, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU32(Result), Is.EqualTo(5u));
        Assert.That(guest.ReadString(Data, 5), Is.EqualTo("input"));
    }

    [Test]
    public void ArgsGet_TwoArgs_WritesPointersAndNulTerminatedStrings()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Args = ["prog", "héllo"] });
        Assert.That(guest.Call("args_sizes_get", Result, Result + 4), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU32(Result), Is.EqualTo(2u));
        Assert.That(guest.ReadU32(Result + 4), Is.EqualTo(5u + 7u));
        Assert.That(guest.Call("args_get", Iovs, Data), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU32(Iovs), Is.EqualTo((uint)Data));
        Assert.That(guest.ReadU32(Iovs + 4), Is.EqualTo((uint)Data + 5));
        Assert.That(guest.ReadString(Data, 12), Is.EqualTo("prog\0héllo\0"));
        Assert.That(guest.Call("args_get", OutOfBounds, Data), Is.EqualTo(WasiErrno.Fault));
    }

    [Test]
    public void EnvironGet_OneVariable_WritesNameEqualsValue()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Environment = [new("K", "v=1")] });
        Assert.That(guest.Call("environ_sizes_get", Result, Result + 4), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU32(Result + 4), Is.EqualTo(6u));
        Assert.That(guest.Call("environ_get", Iovs, Data), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadString(Data, 6), Is.EqualTo("K=v=1\0"));
    }

    [Test]
    public void ClockTimeGet_InjectedProvider_ReturnsItsTime()
    {
        var time = new ManualTimeProvider { UtcNow = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) };
        using var guest = new WasiGuest(new WasiConfiguration { TimeProvider = time });
        Assert.That(guest.Call("clock_time_get", 0, 1, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU64(Result), Is.EqualTo(1_700_000_000UL * 1_000_000_000));
        Assert.That(guest.Call("clock_time_get", 9, 1, Result), Is.EqualTo(WasiErrno.Invalid));
        Assert.That(guest.Call("clock_time_get", 0, 1, OutOfBounds), Is.EqualTo(WasiErrno.Fault));
    }

    [Test]
    public void RandomGet_InjectedRandom_FillsFromIt()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Random = new Random(42) });
        Assert.That(guest.Call("random_get", Data, 16), Is.EqualTo(WasiErrno.Success));
        var expected = new byte[16];
        new Random(42).NextBytes(expected);
        Assert.That(guest.Read(Data, 16), Is.EqualTo(expected));
        Assert.That(guest.Call("random_get", OutOfBounds, 16), Is.EqualTo(WasiErrno.Fault));
    }

    [Test]
    public void ProcExit_Code_ThrowsWasiExitException()
    {
        using var guest = new WasiGuest(new WasiConfiguration());
        var ex = Assert.Throws<WasiExitException>(() => guest.Call("proc_exit", 7));
        Assert.That(ex!.ExitCode, Is.EqualTo(7));
    }

    [Test]
    public void FdPrestat_Preopen_ReportsGuestName()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Preopens = [WasiPreopen.FromHostDirectory(_root, "/data", readOnly: true)] });
        Assert.That(guest.Call("fd_prestat_get", 3, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.Read(Result, 1)[0], Is.Zero);
        Assert.That(guest.ReadU32(Result + 4), Is.EqualTo(5u));
        Assert.That(guest.Call("fd_prestat_dir_name", 3, Data, 5), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadString(Data, 5), Is.EqualTo("/data"));
        Assert.That(guest.Call("fd_prestat_dir_name", 3, Data, 4), Is.EqualTo(WasiErrno.Overflow));
        Assert.That(guest.Call("fd_prestat_get", 4, Result), Is.EqualTo(WasiErrno.BadDescriptor));
        Assert.That(guest.Call("fd_prestat_get", 1, Result), Is.EqualTo(WasiErrno.BadDescriptor));
    }

    [Test]
    public void PathOpen_ExistingFile_ReadSeekTellAndStat()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Preopens = [WasiPreopen.FromHostDirectory(_root, "/data", readOnly: true)] });
        var fd = Open(guest, "hello.txt", oflags: 0, rights: 2);
        Assert.That(fd, Is.EqualTo(4));
        guest.WriteU32(Iovs, Data);
        guest.WriteU32(Iovs + 4, 5);
        Assert.That(guest.Call("fd_read", fd, Iovs, 1, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadString(Data, (int)guest.ReadU32(Result)), Is.EqualTo("hello"));
        Assert.That(guest.Call("fd_tell", fd, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU64(Result), Is.EqualTo(5UL));
        Assert.That(guest.Call("fd_seek", fd, -4, 2, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU64(Result), Is.EqualTo(8UL));
        Assert.That(guest.Call("fd_filestat_get", fd, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.Read(Result + 16, 1)[0], Is.EqualTo((byte)WasiFileType.RegularFile));
        Assert.That(guest.ReadU64(Result + 32), Is.EqualTo(12UL));
        Assert.That(guest.Call("fd_fdstat_get", fd, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.Read(Result, 1)[0], Is.EqualTo((byte)WasiFileType.RegularFile));
        Assert.That(guest.Call("fd_seek", 1, 0, 0, Result), Is.EqualTo(WasiErrno.InvalidSeek));
        Assert.That(guest.Call("fd_close", fd), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.Call("fd_close", fd), Is.EqualTo(WasiErrno.BadDescriptor));
    }

    [Test]
    public void PathOpen_MissingEscapingOrBadPointer_ReturnsErrno()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Preopens = [WasiPreopen.FromHostDirectory(_root, "/data", readOnly: true)] });
        Assert.That(OpenErrno(guest, "missing.txt", 0, 2), Is.EqualTo(WasiErrno.NoEntry));
        Assert.That(OpenErrno(guest, "../etc/passwd", 0, 2), Is.EqualTo(WasiErrno.NotCapable));
        Assert.That(OpenErrno(guest, "new.txt", oflags: 1, rights: 0x40), Is.EqualTo(WasiErrno.ReadOnlyFileSystem));
        Assert.That(OpenErrno(guest, "hello.txt", oflags: 2, rights: 2), Is.EqualTo(WasiErrno.NotDirectory));
        Assert.That(guest.Call("path_open", 3, 0, OutOfBounds, 4, 0, 2, 0, 0, Result), Is.EqualTo(WasiErrno.Fault));
        Assert.That(guest.Call("path_open", 1, 0, Data, 1, 0, 2, 0, 0, Result), Is.EqualTo(WasiErrno.NotDirectory));
    }

    [Test]
    public void PathOpen_CreateOnReadWritePreopen_WritesHostFile()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Preopens = [WasiPreopen.FromHostDirectory(_root, ".", readOnly: false)] });
        var fd = Open(guest, "sub/out.txt", oflags: 1 | 8, rights: 0x40);
        guest.WriteString(Data, "written");
        guest.WriteU32(Iovs, Data);
        guest.WriteU32(Iovs + 4, 7);
        Assert.That(guest.Call("fd_write", fd, Iovs, 1, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.Call("fd_close", fd), Is.EqualTo(WasiErrno.Success));
        Assert.That(File.ReadAllText(Path.Combine(_root, "sub", "out.txt")), Is.EqualTo("written"));
        guest.WriteString(Data, "sub/out.txt");
        Assert.That(guest.Call("path_unlink_file", 3, Data, 11), Is.EqualTo(WasiErrno.Success));
        Assert.That(File.Exists(Path.Combine(_root, "sub", "out.txt")), Is.False);
    }

    [Test]
    public void FdReaddir_Preopen_ListsDotEntriesThenSortedChildren()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Preopens = [WasiPreopen.FromHostDirectory(_root, "/data", readOnly: true)] });
        Assert.That(guest.Call("fd_readdir", 3, Data, 1000, 0, Result), Is.EqualTo(WasiErrno.Success));
        var used = (int)guest.ReadU32(Result);
        var names = new List<string>();
        for (var at = Data; at < Data + used;)
        {
            var length = (int)guest.ReadU32(at + 16);
            names.Add(guest.ReadString(at + 24, length));
            at += 24 + length;
        }

        Assert.That(names, Is.EqualTo(new[] { ".", "..", "hello.txt", "sub" }));
        Assert.That(guest.Call("fd_readdir", 3, Data, 30, 2, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU32(Result), Is.EqualTo(30u), "a full buffer reports buf_len");
        Assert.That(guest.ReadU64(Data), Is.EqualTo(3UL), "d_next of entry 2");
    }

    [Test]
    public void PathFilestatGet_Directory_ReportsDirectoryType()
    {
        using var guest = new WasiGuest(new WasiConfiguration { Preopens = [WasiPreopen.FromHostDirectory(_root, "/data", readOnly: true)] });
        guest.WriteString(Data, "sub");
        Assert.That(guest.Call("path_filestat_get", 3, 1, Data, 3, Result), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.Read(Result + 16, 1)[0], Is.EqualTo((byte)WasiFileType.Directory));
    }

    [Test]
    public void UnsupportedFunctions_ReturnDocumentedErrnos()
    {
        using var guest = new WasiGuest(new WasiConfiguration());
        Assert.That(guest.Call("poll_oneoff", Data, Result, 1, Result + 8), Is.EqualTo(WasiErrno.NotSupported));
        Assert.That(guest.Call("sock_send", 1, Iovs, 0, 0, Result), Is.EqualTo(WasiErrno.NotSocket));
        Assert.That(guest.Call("sock_send", 42, Iovs, 0, 0, Result), Is.EqualTo(WasiErrno.BadDescriptor));
    }

    private static int Open(WasiGuest guest, string path, int oflags, long rights)
    {
        Assert.That(OpenErrno(guest, path, oflags, rights), Is.EqualTo(WasiErrno.Success));
        return (int)guest.ReadU32(Result);
    }

    private static WasiErrno OpenErrno(WasiGuest guest, string path, int oflags, long rights)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        guest.Write(Data, bytes);
        return guest.Call("path_open", 3, 0, Data, bytes.Length, oflags, rights, 0, 0, Result);
    }
}
