using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus runner-header failures (contract-corpus.md §2.13 malformed_runner, no_runner; runners.md §2, §4) through
/// <c>genvm exec</c>: code whose header does not describe runners never starts, and the VM error says why.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusRunnerHeaderTests : CorpusFixture
{
    [Test]
    public async Task Exec_HeaderWithAnUnknownAction_IsInvalidContract()
    {
        // runners.md §4: an action that is none of the known ones fails the load (the reference's v0.1.8 text
        // runner_actions became invalid_contract, testdata.md §10); nothing the contract prints appears.
        Assert.That(await Exec.RunAsync("malformed_runner.py"), Is.EqualTo("executed with `VMError(\"invalid_contract\")`\n"));
    }

    [Test]
    public async Task Exec_TextWithoutALeadingComment_IsInvalidContractAbsentRunnerComment()
    {
        // runners.md §2: no `//`, `#` or `--` prefix on the first line.
        Assert.That(await Exec.RunAsync("no_runner.py"), Is.EqualTo("executed with `VMError(\"invalid_contract absent_runner_comment\")`\n"));
    }
}
