using System.Text;
using GenVm.Core.Protocol;
using GenVm.Core.Wasi;
using NUnit.Framework;

namespace GenVm.Tests.Core.Wasi;

[TestFixture]
public sealed class DetWasiHostTests
{
    private const int Badf = 8;
    private const int Acces = 2;
    private const int Isdir = 31;
    private const int Noent = 44;
    private const int Notsup = 58;
    private const int Overflow = 61;
    private const int Rofs = 69;
    private const int Spipe = 70;

    private static WasiProbe Probe(byte[]? message = null, MemoryStream? stdout = null)
    {
        var fs = new VirtualFileSystem();
        fs.MapFile("//lib//py/a.py/", "print(1)"u8.ToArray());
        fs.MapFile("lib/b.txt", "bb"u8.ToArray());
        fs.MapFile("top", "t"u8.ToArray());
        return new WasiProbe(new DetWasiOptions
        {
            Message = message ?? "MESSAGE"u8.ToArray(),
            TimeNanoseconds = 1732603362424242000,
            Args = ["prog", "x"],
            Environment = [new("b", "2"), new("a", "1")],
            FileSystem = fs,
            Stdout = stdout,
        });
    }

    private static int Open(WasiProbe p, int dirFd, string path)
    {
        var length = p.Put(1000, path);
        var errno = p.Call("path_open", dirFd, 0, 1000, length, 0, 0L, 0L, 0, 900);
        return errno == 0 ? (int)p.U32(900) : -errno;
    }

    [Test]
    public void RandomGet_Det_FirstBytesMatchSpec()
    {
        using var p = Probe();

        Assert.That(p.Call("random_get", 100, 8), Is.Zero);

        Assert.That(Convert.ToHexStringLower(p.Memory[100..108]), Is.EqualTo("fd73bcb8b239b678"));
    }

    [Test]
    public void ClockTimeGet_AnyClock_IsTheMessageTimeAndNeverAdvances()
    {
        using var p = Probe();

        Assert.That(p.Call("clock_time_get", 1, 0L, 8), Is.Zero);
        Assert.That(p.Call("clock_time_get", 0, 0L, 16), Is.Zero);
        Assert.That(p.Call("clock_res_get", 3, 24), Is.Zero);

        Assert.That(p.U64(8), Is.EqualTo(1732603362424242000UL));
        Assert.That(p.U64(16), Is.EqualTo(1732603362424242000UL));
        Assert.That(p.U64(24), Is.EqualTo(1UL));
    }

    [Test]
    public void EnvironGet_Variables_SortedByName()
    {
        using var p = Probe();

        Assert.That(p.Call("environ_sizes_get", 0, 4), Is.Zero);
        Assert.That(p.Call("environ_get", 100, 200), Is.Zero);
        Assert.That(p.Call("args_sizes_get", 8, 12), Is.Zero);

        Assert.That((p.U32(0), p.U32(4)), Is.EqualTo((2u, 8u)));
        Assert.That(Encoding.UTF8.GetString(p.Memory[200..208]), Is.EqualTo("a=1\0b=2\0"));
        Assert.That(p.U32(104), Is.EqualTo(204u));
        Assert.That((p.U32(8), p.U32(12)), Is.EqualTo((2u, 7u)));
    }

    [Test]
    public void FdRead_Message_ReadsSequentiallyAcrossIovecs()
    {
        using var p = Probe();
        p.Put(0, "\0"); // iovecs: (200, 3), (300, 10)
        BitConverter.GetBytes(200).CopyTo(p.Memory[0..]);
        BitConverter.GetBytes(3).CopyTo(p.Memory[4..]);
        BitConverter.GetBytes(300).CopyTo(p.Memory[8..]);
        BitConverter.GetBytes(10).CopyTo(p.Memory[12..]);

        Assert.That(p.Call("fd_read", 0, 0, 2, 16), Is.Zero);
        Assert.That(p.U32(16), Is.EqualTo(7u));
        Assert.That(Encoding.ASCII.GetString(p.Memory[200..203]) + Encoding.ASCII.GetString(p.Memory[300..304]), Is.EqualTo("MESSAGE"));
        Assert.That(p.Call("fd_read", 0, 0, 2, 16), Is.Zero);
        Assert.That(p.U32(16), Is.Zero);
    }

    [Test]
    public void FdSeek_Quirks_ClampAndErrnos()
    {
        using var p = Probe();

        Assert.That(p.Call("fd_seek", 0, -5L, 0, 8), Is.Zero);
        Assert.That(p.U64(8), Is.Zero);
        Assert.That(p.Call("fd_seek", 0, 100L, 1, 8), Is.Zero);
        Assert.That(p.U64(8), Is.EqualTo(7UL));
        Assert.That(p.Call("fd_seek", 0, -2L, 1, 8), Is.Zero);
        Assert.That(p.U64(8), Is.EqualTo(5UL));
        Assert.That(p.Call("fd_seek", 0, 0L, 2, 8), Is.EqualTo(Notsup));
        Assert.That(p.Call("fd_seek", 1, 0L, 0, 8), Is.EqualTo(Spipe));
        Assert.That(p.Call("fd_seek", 3, 0L, 0, 8), Is.EqualTo(Notsup));
        Assert.That(p.Call("fd_tell", 0, 16), Is.Zero);
        Assert.That(p.U64(16), Is.EqualTo(5UL));
    }

    [Test]
    public void FdReadWrite_WrongKinds_SpecErrnos()
    {
        var stdout = new MemoryStream();
        using var p = Probe(stdout: stdout);
        BitConverter.GetBytes(100).CopyTo(p.Memory[0..]);
        BitConverter.GetBytes(2).CopyTo(p.Memory[4..]);
        p.Put(100, "hi");

        Assert.That(p.Call("fd_read", 1, 0, 1, 8), Is.EqualTo(Acces));
        Assert.That(p.Call("fd_read", 3, 0, 1, 8), Is.EqualTo(Isdir));
        Assert.That(p.Call("fd_read", 9, 0, 1, 8), Is.EqualTo(Badf));
        Assert.That(p.Call("fd_write", 0, 0, 1, 8), Is.EqualTo(Rofs));
        Assert.That(p.Call("fd_write", 3, 0, 1, 8), Is.EqualTo(Rofs));
        Assert.That(p.Call("fd_write", 1, 0, 1, 8), Is.Zero);
        Assert.That(p.U32(8), Is.EqualTo(2u));
        Assert.That(Encoding.ASCII.GetString(stdout.ToArray()), Is.EqualTo("hi"));
        Assert.That(p.Call("fd_renumber", 0, 1), Is.EqualTo(Notsup));
        Assert.That(p.Call("sched_yield"), Is.EqualTo(Notsup));
        Assert.That(p.Call("path_unlink_file", 3, 1000, 1), Is.EqualTo(Rofs));
        Assert.That(p.Call("sock_recv", 0, 0, 0, 0, 0, 0), Is.EqualTo(Acces));
    }

    [Test]
    public void PathOpen_Numbers_ReuseLastFreedThenHighestPlusOne()
    {
        using var p = Probe();

        var a = Open(p, 3, "top");
        var b = Open(p, 3, "lib/b.txt");
        Assert.That(p.Call("fd_close", a), Is.Zero);
        Assert.That(p.Call("fd_close", b), Is.Zero);
        var c = Open(p, 3, "top");
        var d = Open(p, 3, "top");
        var e = Open(p, 3, "top");

        Assert.That(new[] { a, b, c, d, e }, Is.EqualTo(new[] { 4, 5, 5, 4, 6 }));
        Assert.That(p.Host.Descriptors.NewNumbers, Is.EqualTo(7));
    }

    [Test]
    public void PathOpen_Failure_ReturnsTheNumberToTheFreeList()
    {
        using var p = Probe();

        Assert.That(Open(p, 3, "missing"), Is.EqualTo(-Noent));
        Assert.That(Open(p, 3, "lib/../top"), Is.EqualTo(-Noent));
        Assert.That(Open(p, 3, "top/x"), Is.EqualTo(-Badf));
        Assert.That(Open(p, 0, "top"), Is.EqualTo(-Badf));
        Assert.That(Open(p, 3, "./lib//py/./a.py"), Is.EqualTo(4));
        Assert.That(p.Call("fd_close", 0), Is.Zero);
        Assert.That(Open(p, 3, "top"), Is.Zero);
    }

    [Test]
    public void FdReaddir_Directory_DotEntriesThenSortedChildren()
    {
        using var p = Probe();
        var lib = Open(p, 3, "lib");

        Assert.That(p.Call("fd_readdir", lib, 100, 4096, 0L, 8), Is.Zero);

        var used = (int)p.U32(8);
        Assert.That(used, Is.EqualTo((24 * 4) + 1 + 2 + 2 + 5));
        var entries = new List<(ulong Next, string Name, byte Type)>();
        for (var offset = 100; offset < 100 + used;)
        {
            var length = (int)p.U32(offset + 16);
            entries.Add((p.U64(offset), Encoding.UTF8.GetString(p.Memory[(offset + 24)..(offset + 24 + length)]), p.Memory[offset + 20]));
            offset += 24 + length;
        }

        Assert.That(entries, Is.EqualTo(new[] { (1UL, ".", (byte)3), (2UL, "..", (byte)3), (3UL, "b.txt", (byte)4), (4UL, "py", (byte)3) }));
        Assert.That(p.Call("fd_readdir", lib, 100, 30, 2L, 8), Is.Zero);
        Assert.That(p.U32(8), Is.EqualTo(30u));
        Assert.That(p.Call("fd_readdir", 0, 100, 30, 0L, 8), Is.EqualTo(Badf));
    }

    [Test]
    public void Prestat_RootAndSubdirectory_Names()
    {
        using var p = Probe();
        var py = Open(p, 3, "lib/py");

        Assert.That(p.Call("fd_prestat_get", 3, 8), Is.Zero);
        Assert.That(p.U32(12), Is.EqualTo(1u));
        Assert.That(p.Call("fd_prestat_dir_name", 3, 100, 1), Is.Zero);
        Assert.That((char)p.Memory[100], Is.EqualTo('/'));
        Assert.That(p.Call("fd_prestat_get", py, 8), Is.Zero);
        Assert.That(p.U32(12), Is.EqualTo(2u));
        Assert.That(p.Call("fd_prestat_dir_name", py, 100, 1), Is.EqualTo(Overflow));
        Assert.That(p.Call("fd_prestat_get", 0, 8), Is.EqualTo(Badf));
    }

    [Test]
    public void Filestat_PathVersusFd_NlinkQuirk()
    {
        using var p = Probe();
        var length = p.Put(1000, "lib/b.txt");
        var fd = Open(p, 3, "lib/b.txt");

        Assert.That(p.Call("path_filestat_get", 3, 0, 1000, length, 64), Is.Zero);
        Assert.That((p.Memory[64 + 16], p.U64(64 + 24), p.U64(64 + 32)), Is.EqualTo(((byte)4, 0UL, 2UL)));
        Assert.That(p.Call("fd_filestat_get", fd, 128), Is.Zero);
        Assert.That((p.Memory[128 + 16], p.U64(128 + 24), p.U64(128 + 32)), Is.EqualTo(((byte)4, 1UL, 2UL)));
        Assert.That(p.Call("fd_filestat_get", 2, 192), Is.Zero);
        Assert.That((p.Memory[192 + 16], p.U64(192 + 24)), Is.EqualTo(((byte)2, 1UL)));
    }

    [Test]
    public void FdstatGet_Kinds_SpecRights()
    {
        using var p = Probe();

        Assert.That(p.Call("fd_fdstat_get", 1, 8), Is.Zero);
        Assert.That((p.Memory[8], p.U64(16), p.U64(24)), Is.EqualTo(((byte)0, 0x40UL, 0x40UL)));
        Assert.That(p.Call("fd_fdstat_get", 0, 8), Is.Zero);
        Assert.That((p.Memory[8], p.U64(16)), Is.EqualTo(((byte)4, 0x24e0b7UL)));
        Assert.That(p.Call("fd_fdstat_get", 3, 8), Is.Zero);
        Assert.That((p.Memory[8], p.U64(16)), Is.EqualTo(((byte)3, 0x24e002UL)));
    }

    [Test]
    public void BadPointer_OutOfBounds_AbortsInsteadOfErrno()
    {
        using var p = Probe();

        Assert.That(() => p.Call("random_get", 65530, 16), Throws.TypeOf<GuestFaultException>());
        Assert.That(() => p.Call("clock_time_get", 0, 0L, 4), Throws.TypeOf<GuestFaultException>());
    }

    [Test]
    public void FdClose_Fd0_ClosesTheMessageAndTwiceIsBadf()
    {
        using var p = Probe();

        Assert.That(p.Call("fd_close", 0), Is.Zero);
        Assert.That(p.Host.Descriptors.TryGet(0, out _), Is.False);
        Assert.That(p.Call("fd_close", 0), Is.EqualTo(Badf));
    }
}
