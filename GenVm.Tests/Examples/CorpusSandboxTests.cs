using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus sandbox cases (contract-corpus.md §2.11 sandbox/det/s and non-det/s, §2.2 disagree_in_sandbox;
/// python-sdk.md §10.1, §10.2) through <c>genvm exec</c>: results are the dataclass reprs of §10.1.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusSandboxTests : CorpusFixture
{
    private const string Cases = "Return(calldata=5)|VMError(message='exit_code 1')|UserError(message='RB')|Return(calldata='patched') loads|Return(calldata='nested')";

    [Test]
    public async Task Exec_SandboxesInDeterministicAndNondetVms_ReturnResultObjects()
    {
        var det = await Exec.ResultAsync("sandbox.py", "--method", "det");
        var nondet = await Exec.ResultAsync("sandbox.py", "--method", "nondet");

        // The sandbox's print comes first; exit(1) is VMError('exit_code 1'); user_error_immediate is UserError('RB');
        // json.loads replaced in the sandbox is still `loads` in the caller; web from a deterministic sandbox and a
        // nondet block inside a sandbox both end the sandbox with exit code 1 (6: forbidden).
        Assert.That(det, Is.EqualTo(
            "inside\n" + Cases.Replace('|', '\n') + "\nVMError(message='exit_code 1')\nVMError(message='exit_code 1')\n"
            + "executed with `Return(\"\\x00\")`\n"));
        // The same cases inside a strict_eq leader block (non-det/s): the same results.
        Assert.That(nondet, Is.EqualTo("inside\n" + CorpusExec.ReturnsString(Cases)));
    }
}
