using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Zip contract code through <c>genvm exec</c> (contract-corpus.md §2.13 multi-file, §3 row 12; runners.md §2, §3, §7;
/// python-sdk.md §19.5): a real multi-file contract (<c>Corpus/multi/</c>: runner.json depending on
/// <c>py-genlayer-multi</c>, a <c>contract/</c> package with a second module and a data file) zipped in the test with
/// System.IO.Compression, the same directory given to exec as is, version gating by the <c>version</c> member, and
/// malformed archives, each ending in the spec's VM error (exit code 0, never an exception).
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusZipTests : CorpusFixture
{
    private static readonly string Ok = "executed with `Return(\"\\x00\")`\n";

    private static string MultiDirectory => CorpusExec.Contract("multi");

    /// <summary>The members of <c>Corpus/multi/</c>, relative names with <c>/</c>, in path order.</summary>
    private static List<(string Name, byte[] Data)> MultiMembers() =>
        Directory.EnumerateFiles(MultiDirectory, "*", SearchOption.AllDirectories)
            .Select(path => (Path.GetRelativePath(MultiDirectory, path).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes(path)))
            .OrderBy(member => member.Item1, StringComparer.Ordinal)
            .ToList();

    /// <summary>A zip of <paramref name="members"/> (stored unless <paramref name="level"/> says otherwise).</summary>
    private static byte[] Zip(IEnumerable<(string Name, byte[] Data)> members, CompressionLevel level = CompressionLevel.NoCompression)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in members)
            {
                using var entry = zip.CreateEntry(name, level).Open();
                entry.Write(data);
            }
        }

        return buffer.ToArray();
    }

    private string WriteCode(string name, byte[] code)
    {
        var path = Path.Combine(Exec.Directory, name);
        File.WriteAllBytes(path, code);
        return path;
    }

    [Test]
    public async Task Exec_MultiFileZipBuiltInTheTest_ImportsItsPackageAndReadsItsFiles()
    {
        var zip = WriteCode("multi.zip", Zip(MultiMembers()));

        var deploy = await Exec.ResultPathAsync(zip, "--deploy", "--args", "[1]");
        var add = await Exec.ResultPathAsync(zip, "--method", "add", "--args", "[1]");
        var note = await Exec.ResultPathAsync(zip, "--method", "note");

        Assert.That(deploy, Is.EqualTo(Ok));
        // total = double(1) = 2, then double(2 + 1) = 6 = calldata (6 << 3) | 1 = '1'.
        Assert.That(add, Is.EqualTo("executed with `Return(\"1\")`\n"));
        // /contract/note.txt is mapped from the archive (py-genlayer-multi maps contract/ to /contract/); the sibling
        // module is contract.lib.
        Assert.That(note, Is.EqualTo(CorpusExec.ReturnsString("read from the package / contract.lib")));
    }

    [Test]
    public async Task Exec_ContractDirectory_IsPackedIntoTheSameZipCode()
    {
        var deploy = await Exec.ResultPathAsync(MultiDirectory, "--deploy", "--args", "[1]");
        var note = await Exec.ResultPathAsync(MultiDirectory, "--method", "note");
        var stored = Convert.FromHexString(Exec.SlotHex(CorpusExec.Child(CorpusExec.RootSlot, 1)));

        Assert.That(deploy, Is.EqualTo(Ok));
        Assert.That(note, Is.EqualTo(CorpusExec.ReturnsString("read from the package / contract.lib")));
        // The code slot holds u32le length then a stored zip with every file of the directory under its relative name.
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(stored), Is.EqualTo(stored.Length - 4));
        using var zip = new ZipArchive(new MemoryStream(stored[4..]));
        Assert.That(zip.Entries.Select(e => e.FullName), Is.EqualTo(MultiMembers().Select(m => m.Name)));
        Assert.That(zip.Entries.Select(e => e.CompressedLength), Is.EqualTo(zip.Entries.Select(e => e.Length)));
    }

    [Test]
    public async Task Exec_ZipVersionMember_IsGatedByTheTransactionTime()
    {
        var members = MultiMembers();
        var v013 = WriteCode("v013.zip", Zip([.. members, ("version", "v0.1.3\n"u8.ToArray())]));
        var v030 = WriteCode("v030.zip", Zip([.. members, ("version", "v0.3.0"u8.ToArray())]));
        var bogus = WriteCode("bogus.zip", Zip([.. members, ("version", "0.1"u8.ToArray())]));

        // runners.md §3: the default datetime (2024-11-26) allows v0.1.0 only; from 2025-07-01 v0.1.3 is allowed.
        Assert.That(await Exec.ResultPathAsync(v013, "--deploy", "--args", "[1]"), Is.EqualTo("executed with `VMError(\"version_too_big\")`\n"));
        Assert.That(await Exec.ResultPathAsync(v013, "--deploy", "--args", "[1]", "--datetime", "2025-07-02T00:00:00Z"), Is.EqualTo(Ok));
        // Newer than any known line (docs/decisions.md "Runners: v0.2.x contract headers"); not three parts.
        Assert.That(await Exec.ResultPathAsync(v030, "--deploy", "--args", "[1]", "--datetime", "2026-01-01T00:00:00Z"), Is.EqualTo("executed with `VMError(\"version_too_big\")`\n"));
        Assert.That(await Exec.ResultPathAsync(bogus, "--deploy", "--args", "[1]"), Is.EqualTo("executed with `VMError(\"invalid_contract\")`\n"));
    }

    [Test]
    public async Task Exec_MemberNamesOutsideThePackage_AreUnreachableAndOverrideNothing()
    {
        // runners.md §2: names are taken as stored. py-genlayer-multi maps only contract/…; a `..` component can never
        // be looked up (wasm-abi.md §9.2), so these members neither escape the package nor replace the SDK's files.
        var breaker = "raise SystemExit(77)\n"u8.ToArray();
        var zip = WriteCode("odd.zip", Zip([
            .. MultiMembers(),
            ("contract/../py/libs/genlayer/__init__.py", breaker),
            ("contract/../../escaped.py", breaker),
            ("../outside.txt", breaker),
            ("/absolute.txt", breaker),
        ]));

        Assert.That(await Exec.ResultPathAsync(zip, "--deploy", "--args", "[1]"), Is.EqualTo(Ok));
        foreach (var path in new[] { "/contract/../escaped.py", "/escaped.py", "/outside.txt", "/absolute.txt", "/contract/../py/libs/genlayer/__init__.py" })
        {
            Assert.That(await Exec.ResultPathAsync(zip, "--method", "probe", "--args", $"[\"{path}\"]"), Is.EqualTo(CorpusExec.ReturnsString("FileNotFoundError")), path);
        }

        // The real SDK file is still the one mapped (its size is not the breaker's).
        var sdk = await Exec.ResultPathAsync(zip, "--method", "probe", "--args", "[\"/py/libs/genlayer/__init__.py\"]");
        Assert.That(sdk, Does.StartWith("executed with `Return(").And.Contain("found ").And.Not.Contain($"found {breaker.Length}\""));
    }

    [Test]
    public async Task Exec_ZipWithItsOwnRunnerJson_ComposesTheRunnersItself()
    {
        // contract-corpus.md §2.13 lock: the archive's runner.json does what the py-genlayer glue does (runners.md §7)
        // with its own choices: the contract from a member of another name, a library package of the archive mapped
        // into /py/libs/ through With <contract>, an environment variable, then the runners the glue depends on.
        var runnerJson = """
            { "Seq": [
              { "MapFile": { "file": "main.py", "to": "/contract.py" } },
              { "With": { "runner": "<contract>", "action": { "MapFile": { "file": "lib/", "to": "/py/libs/locked" } } } },
              { "AddEnv": { "name": "LOCKED", "val": "yes" } },
              { "SetArgs": ["py", "-u", "-B", "/py/libs/_genlayer_runner.py"] },
              { "Depends": "py-lib-cloudpickle:test" },
              { "Depends": "py-lib-genlayer-std:test" },
              { "Depends": "cpython:test" }
            ] }
            """;
        var main = """
            import os

            from genlayer import *
            from locked import tool


            class Locked(gl.Contract):
                def __init__(self):
                    pass

                @gl.public.view
                def info(self) -> str:
                    return tool.NAME + ' ' + os.environ['LOCKED']
            """;
        var zip = WriteCode("lock.zip", Zip([
            ("runner.json", Encoding.UTF8.GetBytes(runnerJson)),
            ("main.py", Encoding.UTF8.GetBytes(main)),
            ("lib/__init__.py", []),
            ("lib/tool.py", "NAME = 'tool'\n"u8.ToArray()),
        ]));

        Assert.That(await Exec.ResultPathAsync(zip, "--deploy"), Is.EqualTo(Ok));
        Assert.That(await Exec.ResultPathAsync(zip, "--method", "info"), Is.EqualTo(CorpusExec.ReturnsString("tool yes")));
    }

    [Test]
    public async Task Exec_ZipWithBytecodeAndAnEmptySource_RunsTheBytecode()
    {
        // contract-corpus.md §2.13 zip/zip, python-sdk.md §19.5: the glue maps the empty member `file` to /contract.py
        // and the archive maps contract.pyc (unchecked hash-based, so the empty source is not compared) to
        // /__pycache__/contract.cpython-313.pyc. The bytecode comes from the runner's own CPython (Corpus/make_pyc.py).
        var printed = await Exec.ResultAsync("make_pyc.py");
        var pyc = Convert.FromHexString(printed[..printed.IndexOf('\n', StringComparison.Ordinal)]);
        var runnerJson = """
            { "Seq": [
              { "MapFile": { "file": "contract.pyc", "to": "/__pycache__/contract.cpython-313.pyc" } },
              { "Depends": "py-genlayer:test" }
            ] }
            """;
        var zip = WriteCode("pyc.zip", Zip([("runner.json", Encoding.UTF8.GetBytes(runnerJson)), ("file", []), ("contract.pyc", pyc)]));

        Assert.That(await Exec.ResultPathAsync(zip, "--deploy"), Is.EqualTo(Ok));
        Assert.That(await Exec.ResultPathAsync(zip, "--method", "hello"), Is.EqualTo(CorpusExec.ReturnsString("from bytecode")));
    }

    private static IEnumerable<TestCaseData> MalformedZips()
    {
        var members = MultiMembers();
        yield return new TestCaseData(Zip(members, CompressionLevel.Optimal), "invalid_contract").SetName("Exec_DeflatedZip_InvalidContract");
        yield return new TestCaseData(Zip([.. members, ("contract/lib.py", "x = 1\n"u8.ToArray())]), "invalid_contract").SetName("Exec_ZipWithDuplicateNames_InvalidContract");
        yield return new TestCaseData(Zip(members.Where(m => m.Name != "runner.json")), "invalid_contract").SetName("Exec_ZipWithoutRunnerJson_InvalidContract");
        yield return new TestCaseData(Zip([.. members, ("contract//lib.py", "x = 1\n"u8.ToArray())]), "invalid_contract").SetName("Exec_ZipMappingOneFileTwice_InvalidContract");
        yield return new TestCaseData(PatchFirstCentralSize(Zip(members), 0x7fff_fff0), "invalid_contract").SetName("Exec_ZipEntryLargerThanTheCode_InvalidContract");
        yield return new TestCaseData(ReplaceAll(Zip([.. members, ("contract/BAD.txt", "x"u8.ToArray())]), "BAD"u8.ToArray(), [0xff, 0xfe, 0xfd]), "invalid_contract").SetName("Exec_ZipEntryNameNotUtf8_InvalidContract");
        yield return new TestCaseData(Zip([.. members.Where(m => m.Name != "runner.json"), ("runner.json", "{\"Depends\": \"py-genlayer-multi:test\", \"Extra\": 1}"u8.ToArray())]), "invalid_contract").SetName("Exec_ZipRunnerJsonWithTwoActions_InvalidContract");
    }

    [TestCaseSource(nameof(MalformedZips))]
    public async Task Exec_MalformedZip_EndsWithTheSpecError(byte[] code, string expected)
    {
        var path = WriteCode("bad.zip", code);

        var result = await Exec.ResultPathAsync(path, "--deploy", "--args", "[1]");

        Assert.That(result, Is.EqualTo($"executed with `VMError(\"{expected}\")`\n"));
    }

    [Test]
    public async Task Exec_ZipWhoseDirectoryIsCut_IsNotAZipAndFailsAsText()
    {
        // runners.md §2: a central directory that does not parse means "not a zip"; the code then is neither wasm nor
        // UTF-8 text (the local headers hold binary fields), so detection ends in invalid_contract not_utf8_text.
        var zip = Zip(MultiMembers());
        var cut = WriteCode("cut.zip", zip[..^30]);

        Assert.That(await Exec.ResultPathAsync(cut, "--deploy", "--args", "[1]"), Is.EqualTo("executed with `VMError(\"invalid_contract not_utf8_text\")`\n"));
    }

    // Sets the compressed size of the first central-directory entry (APPNOTE 4.3.12, offset 20).
    private static byte[] PatchFirstCentralSize(byte[] zip, uint size)
    {
        var at = IndexOf(zip, [0x50, 0x4b, 0x01, 0x02]);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(at + 20), size);
        return zip;
    }

    private static byte[] ReplaceAll(byte[] data, byte[] find, byte[] replacement)
    {
        Assert.That(replacement, Has.Length.EqualTo(find.Length));
        for (var at = IndexOf(data, find); at >= 0; at = IndexOf(data, find))
        {
            replacement.CopyTo(data, at);
        }

        return data;
    }

    private static int IndexOf(byte[] data, byte[] find) => data.AsSpan().IndexOf(find);
}
