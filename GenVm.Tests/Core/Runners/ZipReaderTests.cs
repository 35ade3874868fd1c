using System.IO.Compression;
using System.Text;
using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

[TestFixture]
public sealed class ZipReaderTests
{
    private static RunnerArchive Zip(byte[] code)
    {
        var archive = ContractArchive.FromCode(code, out var kind);
        Assert.That(kind, Is.EqualTo(ContractArchive.CodeKind.Zip));
        return archive;
    }

    private static void AssertInvalid(byte[] code, string detailPart)
    {
        var e = Assert.Throws<RunnerLoadException>(() => ContractArchive.FromCode(code));
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract"));
        Assert.That(e.Message, Does.Contain(detailPart));
    }

    [Test]
    public void FromCode_StoredZip_DataVerbatimFromLocalHeaderOffset()
    {
        var code = TestZip.Of(("runner.json", "{\"Depends\":\"py-genlayer-multi:x\"}"), ("contract/__init__.py", "import x\n"), ("version", "v0.1.10"));
        var archive = Zip(code);
        Assert.That(archive.Members.Keys, Is.EqualTo(new[] { "contract/__init__.py", "runner.json", "version" }));
        Assert.That(Encoding.UTF8.GetString(archive.Members["contract/__init__.py"].Span), Is.EqualTo("import x\n"));
        Assert.That(archive.VersionText, Is.EqualTo("v0.1.10"));
        Assert.That(archive.TotalSize, Is.EqualTo(code.Length));
    }

    [Test]
    public void FromCode_ZipWithCommentAndDirectoryEntry_Accepted()
    {
        var code = TestZip.Build([new("contract/", []), new("runner.json", "{}"u8.ToArray())], comment: "hello");
        Assert.That(Zip(code).Members.Keys, Is.EqualTo(new[] { "contract/", "runner.json" }));
    }

    [Test]
    public void FromCode_SystemIoCompressionNoCompression_IsStoredAndAccepted()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in new[] { ("runner.json", "{\"StartWasm\":\"a.wasm\"}"), ("a.wasm", "AAAA") })
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.NoCompression).Open());
                writer.Write(text);
            }
        }

        var archive = Zip(stream.ToArray());
        Assert.That(Encoding.UTF8.GetString(archive.Members["a.wasm"].Span), Is.EqualTo("AAAA"));
    }

    [Test]
    public void FromCode_DeflatedEntry_Invalid() =>
        AssertInvalid(TestZip.Build([new("runner.json", "{}"u8.ToArray(), Method: 8)]), "compressed");

    [Test]
    public void FromCode_EncryptedEntry_Invalid() =>
        AssertInvalid(TestZip.Build([new("runner.json", "{}"u8.ToArray(), Flags: 1)]), "encrypted");

    [Test]
    public void FromCode_ZipWithoutRunnerJson_Invalid() =>
        AssertInvalid(TestZip.Of(("contract/__init__.py", "x")), "no runner.json");

    [Test]
    public void FromCode_DuplicateEntries_Invalid() =>
        AssertInvalid(TestZip.Of(("runner.json", "{}"), ("runner.json", "{}")), "duplicate");

    [Test]
    public void FromCode_LocalHeaderOffsetWrong_Invalid()
    {
        var code = TestZip.Of(("runner.json", "{}"));
        // The central header's local-header offset (byte 42 of the central header) points into the data.
        var central = code.Length - 22 - (46 + "runner.json".Length);
        code[central + 42] = 5;
        AssertInvalid(code, "no local header");
    }

    [Test]
    public void FromCode_EntryDataPastEnd_Invalid()
    {
        var code = TestZip.Of(("runner.json", "{}"));
        var central = code.Length - 22 - (46 + "runner.json".Length);
        code[central + 20] = 0xff; // compressed size
        code[central + 21] = 0xff;
        AssertInvalid(code, "past the end");
    }

    [Test]
    public void FromCode_BrokenCentralDirectory_IsNotAZipAndFallsThroughToText()
    {
        var code = TestZip.Of(("runner.json", "{}"));
        var central = code.Length - 22 - (46 + "runner.json".Length);
        code[central] = 0; // central header signature destroyed
        var e = Assert.Throws<RunnerLoadException>(() => ContractArchive.FromCode(code));
        Assert.That(e!.VmError, Does.StartWith("invalid_contract "));
    }

    [Test]
    public void FromCode_EmptyZip_ParsesButHasNoRunnerJson() =>
        AssertInvalid(TestZip.Build([]), "no runner.json");
}
