using System.Text;
using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

[TestFixture]
public sealed class ContractArchiveTests
{
    private static string Member(RunnerArchive archive, string name) => Encoding.UTF8.GetString(archive.Members[name].Span);

    [Test]
    public void FromCode_RawWasmWithoutVersionSection_FileVersionDefaultAndStartWasmFile()
    {
        var wasm = TestWasm.Module();
        var archive = ContractArchive.FromCode(wasm, out var kind);
        Assert.That(kind, Is.EqualTo(ContractArchive.CodeKind.Wasm));
        Assert.That(archive.Members["file"].ToArray(), Is.EqualTo(wasm));
        Assert.That(Member(archive, "version"), Is.EqualTo("v0.1.0"));
        Assert.That(Member(archive, "runner.json"), Is.EqualTo("{ \"StartWasm\": \"file\" }"));
        Assert.That(archive.Actions, Is.EqualTo(new StartWasmAction("file")));
        Assert.That(archive.TotalSize, Is.EqualTo(wasm.Length));
    }

    [Test]
    public void FromCode_RawWasmWithVersionSections_FirstSectionWins()
    {
        var wasm = TestWasm.Module(null, ("other", [1, 2]), ("genvm.version", "v0.1.5"u8.ToArray()), ("genvm.version", "v0.1.9"u8.ToArray()));
        Assert.That(Member(ContractArchive.FromCode(wasm), "version"), Is.EqualTo("v0.1.5"));
    }

    [Test]
    public void FromCode_RawWasmVersionNotUtf8_Default()
    {
        var wasm = TestWasm.Module(null, ("genvm.version", [0xff, 0x30]));
        Assert.That(Member(ContractArchive.FromCode(wasm), "version"), Is.EqualTo("v0.1.0"));
    }

    [Test]
    public void FromCode_WasmMagicWithOtherVersion_IsNotWasm()
    {
        // 00 61 73 6d 0d 00 01 00 is a component, not a core module: not UTF-8 text either (0x00 is valid UTF-8, but no comment).
        var e = Assert.Throws<RunnerLoadException>(() => ContractArchive.FromCode(new byte[] { 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00 }));
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract absent_runner_comment"));
    }

    [Test]
    public void FromCode_SpecExampleOneLine_VersionDefaultJsonWithLeadingSpace()
    {
        var archive = ContractArchive.FromCode("# { \"Depends\": \"py-genlayer:test\" }\nimport genlayer\n"u8.ToArray(), out var kind);
        Assert.That(kind, Is.EqualTo(ContractArchive.CodeKind.Text));
        Assert.That(archive.VersionText, Is.Null);
        Assert.That(Member(archive, "runner.json"), Is.EqualTo(" { \"Depends\": \"py-genlayer:test\" }"));
        Assert.That(Member(archive, "file"), Does.StartWith("# {"));
    }

    [Test]
    public void FromCode_SpecExampleMultiLine_VersionUntrimmedAndJsonConcatenated()
    {
        var code = "# v0.1.10\n# {\n#   \"Seq\": [\n#     { \"Depends\": \"py-genlayer:test\" }\n#   ]\n# }\n\n# comment\nx = 1\n";
        var archive = ContractArchive.FromCode(Encoding.UTF8.GetBytes(code));
        Assert.That(archive.VersionText, Is.EqualTo(" v0.1.10"));
        Assert.That(Member(archive, "runner.json"), Is.EqualTo(" {   \"Seq\": [     { \"Depends\": \"py-genlayer:test\" }   ] }"));
        Assert.That(archive.Actions, Is.InstanceOf<SeqAction>());
    }

    [TestCase("// {\"A\":1}\n//x\ny", " {\"A\":1}x")]
    [TestCase("-- {\"A\":1}\r\n--x\r\ny", " {\"A\":1}x")]
    [TestCase("#{}\n//not header\n", "{}")]
    [TestCase("//# {}\n#x\n", "# {}")]
    public void ParseHeader_Prefixes_SamePrefixRunAndCrStripped(string code, string json)
    {
        var (version, runnerJson) = ContractArchive.ParseHeader(code);
        Assert.That(version, Is.Null);
        Assert.That(runnerJson, Is.EqualTo(json));
    }

    [Test]
    public void ParseHeader_VersionOnlyHeader_EmptyJsonThenInvalidActions()
    {
        var archive = ContractArchive.FromCode("#v0.1.0\nx\n"u8.ToArray());
        Assert.That(archive.VersionText, Is.EqualTo("v0.1.0"));
        var e = Assert.Throws<RunnerLoadException>(() => _ = archive.Actions);
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract"));
    }

    [Test]
    public void ParseHeader_FirstLineStartsWithVAfterWhitespace_IsVersion()
    {
        Assert.That(ContractArchive.ParseHeader("#\t v1\n#{}").VersionText, Is.EqualTo("\t v1"));
    }

    [Test]
    public void FromCode_NotUtf8_InvalidContractNotUtf8Text()
    {
        var e = Assert.Throws<RunnerLoadException>(() => ContractArchive.FromCode(new byte[] { (byte)'#', 0xc3, 0x28 }));
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract not_utf8_text"));
    }

    [TestCase("import genlayer\n")]
    [TestCase(" # {}\n")]
    [TestCase("")]
    [TestCase("/ {}")]
    [TestCase("- {}")]
    public void FromCode_NoLeadingComment_InvalidContractAbsentRunnerComment(string code)
    {
        var e = Assert.Throws<RunnerLoadException>(() => ContractArchive.FromCode(Encoding.UTF8.GetBytes(code)));
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract absent_runner_comment"));
    }

    [Test]
    public void FromCode_TextTotalSize_IsCodeLength()
    {
        var code = "# {\"StartWasm\":\"file\"}\n"u8.ToArray();
        Assert.That(ContractArchive.FromCode(code).TotalSize, Is.EqualTo(code.Length));
    }

    [Test]
    public void OnChainKey_Address_LowercaseHex() =>
        Assert.That(ContractArchive.OnChainKey(Enumerable.Range(0xa0, 20).Select(i => (byte)i).ToArray()), Is.EqualTo("on_chain:0xa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3"));

    [Test]
    public void FromCodeCached_SameCode_SameArchiveDifferentCode_Different()
    {
        var cache = new RunnerArchiveCache();
        var first = ContractArchive.FromCodeCached("# {\"StartWasm\":\"file\"}\n"u8.ToArray(), cache);
        Assert.That(ContractArchive.FromCodeCached("# {\"StartWasm\":\"file\"}\n"u8.ToArray(), cache), Is.SameAs(first));
        Assert.That(ContractArchive.FromCodeCached("# {\"StartWasm\":\"file\"}\n\n"u8.ToArray(), cache), Is.Not.SameAs(first));
    }
}
