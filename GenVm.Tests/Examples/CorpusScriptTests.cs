using System.Numerics;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus module-level and header cases (contract-corpus.md §2.1 _hello_world_, _hello_world_class_nondet; §2.13
/// env-template, dup-dependency; §2.14 self-run datetime, re, formats, typing_is_ok; runners.md §2, §4; python-sdk.md §2.2, §19.3)
/// through <c>genvm exec</c>.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusScriptTests : CorpusFixture
{
    // runners.md §3: v0.1.10 is allowed from 2025-07-10T11:56:59Z on.
    private const string July2025 = "2025-07-29T10:34:20Z";

    [Test]
    public async Task Exec_ModuleLevelScript_PrintsDeterministicValuesAndExit0Returns()
    {
        var octets = Enumerable.Repeat((byte)0x12, 20).ToArray();
        var hex = "0x" + string.Concat(Enumerable.Repeat("12", 20));

        var output = await Exec.ResultAsync("script.py");

        // §19.3: the clock is the transaction time (default 2024-11-26T06:42:42.424242Z); §2.2: str = as_hex (EIP-55
        // leaves digits alone), repr = Address("…"), 'cd' = addr# + hex, 'b64' = padded base64, as_int little-endian.
        Assert.That(output, Is.EqualTo(
            "1\n2024-11-26 06:42:42.424242\na<1>b<22>c<333> True\n"
            + $"{hex} Address(\"{hex}\")\n"
            + $"addr#{hex[2..]} {Convert.ToBase64String(octets)} True {new BigInteger(octets, isUnsigned: true, isBigEndian: false)}\n"
            + "True False True\nformat q: TypeError\n"
            // typing_is_ok: PEP 695 generics introspect; the module is `contract`.
            + "contract.Box[int] (T,) {'item': T}\n"
            + "executed with `Return(\"\\x00\")`\n"));
    }

    [Test]
    public async Task Exec_VersionAndRunnerHeader_SetsTheEnvironmentAndSkipsTheRepeatedDependency()
    {
        // runners.md §2: "# v0.1.10" is the version; the other header lines form the Seq. The default datetime allows
        // v0.1.0 only.
        Assert.That(await Exec.ResultAsync("env_header.py", "--deploy"), Is.EqualTo("executed with `VMError(\"version_too_big\")`\n"));
        Assert.That(await Exec.ResultAsync("env_header.py", "--deploy", "--datetime", July2025), Is.EqualTo("executed with `Return(\"\\x00\")`\n"));

        // §4: ${FIRST} is the earlier AddEnv, ${ENV[HOME]} is empty; the nondet round trip loads the same header.
        Assert.That(await Exec.ResultAsync("env_header.py", "--method", "env", "--datetime", July2025), Is.EqualTo(CorpusExec.ReturnsString("1 1:2")));
    }
}
