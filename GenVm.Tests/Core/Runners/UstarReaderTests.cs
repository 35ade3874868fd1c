using System.Text;
using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

[TestFixture]
public sealed class UstarReaderTests
{
    private static string Text(RunnerArchive archive, string name) =>
        archive.TryGetMember(name, out var bytes) ? Encoding.UTF8.GetString(bytes.Span) : throw new AssertionException("no member " + name);

    private static void AssertInvalid(byte[] tar, string detailPart)
    {
        var e = Assert.Throws<RunnerLoadException>(() => UstarReader.Read(tar));
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract"));
        Assert.That(e.Message, Does.Contain(detailPart));
    }

    [Test]
    public void Read_TwoMembers_SortedByBytesAndTotalSizeIsTarLength()
    {
        var tar = new TestTar().Add("b.txt", "bee"u8.ToArray()).Add("a/x.py", "print(1)"u8.ToArray()).Build();
        var archive = UstarReader.Read(tar);
        Assert.That(archive.Members.Keys, Is.EqualTo(new[] { "a/x.py", "b.txt" }));
        Assert.That(Text(archive, "b.txt"), Is.EqualTo("bee"));
        Assert.That(archive.TotalSize, Is.EqualTo(tar.Length));
    }

    [Test]
    public void Read_EmptyMemberAndBlockSizedMember_DataExact()
    {
        var block = new byte[512];
        block[511] = 7;
        var archive = UstarReader.Read(new TestTar().Add("empty", []).Add("block", block).Build());
        Assert.That(archive.Members["empty"].Length, Is.Zero);
        Assert.That(archive.Members["block"].ToArray(), Is.EqualTo(block));
    }

    [TestCase(0)]
    [TestCase(512)]
    [TestCase(1023)]
    [TestCase(1025)]
    [TestCase(1536 + 1)]
    public void Read_SizeBelow1024OrNotMultipleOf512_Invalid(int size) => AssertInvalid(new byte[size], "size");

    [Test]
    public void Read_OnlyZeroBlocks_EmptyArchive()
    {
        Assert.That(UstarReader.Read(new byte[1024]).Members, Is.Empty);
    }

    [Test]
    public void Read_GnuMagic_Invalid()
    {
        var gnu = new[] { (byte)'u', (byte)'s', (byte)'t', (byte)'a', (byte)'r', (byte)' ', (byte)' ', (byte)0 };
        AssertInvalid(new TestTar().Add("a", "x"u8.ToArray(), magic: gnu).Build(), "not POSIX ustar");
    }

    [Test]
    public void Read_V7HeaderWithoutMagic_Invalid()
    {
        AssertInvalid(new TestTar().Add("a", "x"u8.ToArray(), magic: new byte[8]).Build(), "not POSIX ustar");
    }

    [TestCase((byte)'1')]
    [TestCase((byte)'2')]
    [TestCase((byte)'x')]
    [TestCase((byte)'g')]
    [TestCase((byte)'L')]
    [TestCase((byte)'7')]
    public void Read_LinkPaxOrGnuType_InvalidLinksForbidden(byte type) =>
        AssertInvalid(new TestTar().Add("a", "x"u8.ToArray(), type: type).Build(), "links are forbidden");

    [Test]
    public void Read_TypeNulIsAFile_DirectoryEntriesSkipped()
    {
        var archive = UstarReader.Read(new TestTar().Add("dir/", [], type: (byte)'5').Add("dir/f", "f"u8.ToArray(), type: 0).Build());
        Assert.That(archive.Members.Keys, Is.EqualTo(new[] { "dir/f" }));
    }

    [Test]
    public void Read_NameEndingInSlashWithFileType_Skipped()
    {
        var archive = UstarReader.Read(new TestTar().Add("odd/", "data"u8.ToArray()).Add("z", "z"u8.ToArray()).Build());
        Assert.That(archive.Members.Keys, Is.EqualTo(new[] { "z" }));
    }

    [Test]
    public void Read_PrefixField_JoinedWithoutSlash()
    {
        var archive = UstarReader.Read(new TestTar().Add("name.py", "n"u8.ToArray(), prefix: "some/dir").Build());
        Assert.That(archive.Members.Keys, Is.EqualTo(new[] { "some/dirname.py" }));
    }

    [Test]
    public void Read_NameUsingAll100Bytes_LosesLastCharacter()
    {
        var name = new string('a', 99) + "Z";
        var archive = UstarReader.Read(new TestTar().Add(name, "n"u8.ToArray()).Build());
        Assert.That(archive.Members.Keys, Is.EqualTo(new[] { new string('a', 99) }));
    }

    [Test]
    public void Read_SizeFieldWithoutTerminator_LosesLastDigit()
    {
        // 12 octal digits "000000000010" cut to "00000000001" = 1 byte.
        var archive = UstarReader.Read(new TestTar().Add("a", "xy"u8.ToArray(), sizeField: "000000000010").Build());
        Assert.That(Text(archive, "a"), Is.EqualTo("x"));
    }

    [TestCase("0000000001 \0")]
    [TestCase("000000000+1\0")]
    [TestCase("0000000009\0\0")]
    [TestCase(" 0000000001\0")]
    public void Read_NonOctalSize_Invalid(string sizeField) =>
        AssertInvalid(new TestTar().Add("a", "x"u8.ToArray(), sizeField: sizeField).Build(), "not octal");

    [Test]
    public void Read_SizeWithTrailingNuls_Accepted()
    {
        var archive = UstarReader.Read(new TestTar().Add("a", "x"u8.ToArray(), sizeField: "1\0\0\0\0\0\0\0\0\0\0\0").Build());
        Assert.That(Text(archive, "a"), Is.EqualTo("x"));
    }

    [Test]
    public void Read_DuplicateNames_Invalid() =>
        AssertInvalid(new TestTar().Add("a", "1"u8.ToArray()).Add("a", "2"u8.ToArray()).Build(), "duplicate");

    [Test]
    public void Read_DuplicateViaPrefix_Invalid() =>
        AssertInvalid(new TestTar().Add("a/b", "1"u8.ToArray()).Add("b", "2"u8.ToArray(), prefix: "a/").Build(), "duplicate");

    [Test]
    public void Read_StopsAtTwoZeroBlocks_IgnoresWhatFollows()
    {
        var tar = new TestTar().Add("a", "1"u8.ToArray()).Raw(new byte[1024]).Add("after", "garbage"u8.ToArray()).Build();
        Assert.That(UstarReader.Read(tar).Members.Keys, Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public void Read_SingleZeroBlockBeforeMember_IsAHeaderAndInvalid()
    {
        var tar = new TestTar().Add("a", "1"u8.ToArray()).Raw(new byte[512]).Add("b", "2"u8.ToArray()).Build();
        AssertInvalid(tar, "not POSIX ustar");
    }

    [Test]
    public void Read_OneTrailingBlockOnly_StopsWithFewerThan1024Left()
    {
        var tar = new TestTar().Add("a", "1"u8.ToArray()).Build(trailingZeroBlocks: 1);
        Assert.That(tar.Length, Is.EqualTo(1536));
        Assert.That(UstarReader.Read(tar).Members.Keys, Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public void Read_DataRunsPastEnd_Invalid()
    {
        var tar = new TestTar().Add("a", new byte[10], sizeField: "00000010000\0").Build();
        AssertInvalid(tar, "past the end");
    }

    [Test]
    public void Read_NonUtf8Name_Invalid() =>
        AssertInvalid(new TestTar().Add("", "1"u8.ToArray(), rawName: [0xff, 0xfe]).Build(), "not UTF-8");

    [Test]
    public void Read_MemberBytes_ShareTheTarBuffer()
    {
        var tar = new TestTar().Add("a", "abc"u8.ToArray()).Build();
        var archive = UstarReader.Read(tar);
        tar[512] = (byte)'X';
        Assert.That(Text(archive, "a"), Is.EqualTo("Xbc"));
    }

    [Test]
    [Category("Toolchain")]
    public void Read_CPythonBuildTar_AllMembersAndSizes()
    {
        var dir = Environment.GetEnvironmentVariable("GENVM_PYTHON_RUNNER_DIR");
        if (string.IsNullOrEmpty(dir) || !File.Exists(Path.Combine(dir, "cpython.tar")))
        {
            Assert.Ignore("GENVM_PYTHON_RUNNER_DIR with cpython.tar is not set (bash runners/build-python.sh)");
        }

        var bytes = File.ReadAllBytes(Path.Combine(dir!, "cpython.tar"));
        var archive = UstarReader.Read(bytes);
        // The runner's interpreter is the link with the builtin _genlayer_wasi module (runners/build-python.sh step 8).
        Assert.That(archive.Members["cpython.wasm"].ToArray(), Is.EqualTo(File.ReadAllBytes(Path.Combine(dir!, "python-genlayer.wasm"))));
        Assert.That(archive.Members.Keys.Count(k => k.StartsWith("py/std/", StringComparison.Ordinal)), Is.GreaterThan(1000));
        Assert.That(archive.Members["py/std/os.py"].ToArray(), Is.EqualTo(File.ReadAllBytes(Path.Combine(dir!, "lib", "python3.13", "os.py"))));
    }
}
