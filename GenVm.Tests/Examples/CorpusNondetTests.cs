using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus nondet leader/validator cases without modules (contract-corpus.md §2.3; python-sdk.md §10.3, §10.4, §11):
/// a leader run records its results in the <c>genvm exec</c> state, a validator run replays them.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusNondetTests : CorpusFixture
{
    private async Task<(string Leader, string Validator)> BothAsync(string method)
        => (await Exec.ResultAsync("nondet_validate.py", "--method", method),
            await Exec.RunAsync("nondet_validate.py", "--method", method, "--validator"));

    [Test]
    public async Task Exec_NondetOutcomes_AsLeaderAndValidator()
    {
        // leader_no_nondet: a validator without recorded leader results → absent.
        var absent = await Exec.ResultAsync("nondet_validate.py", "--method", "agree", "--validator");
        var agree = await BothAsync("agree");
        var disagree = await BothAsync("disagree");
        var caught = await BothAsync("caught");
        var crash = await BothAsync("leader_crash");
        var trivial = await BothAsync("trivial");
        var detWeb = await Exec.ResultAsync("nondet_validate.py", "--method", "det_web");

        Assert.That(absent, Is.EqualTo("executed with `VMError(\"absent\")`\n"));
        // rollback_agree: the leader's UserError is the result; the validator's equal message agrees.
        Assert.That(agree, Is.EqualTo(("executed with `UserError(\"No idea\")`\n", "executed with `UserError(\"No idea\")`\n")));
        // rollback_disagree: another message is a disagreement; the result stays the leader's.
        Assert.That(disagree.Validator, Is.EqualTo("executed with `UserError(\"No idea\")`\nnondet disagreement: 0\n"));
        // The UserError from run_nondet is catchable: "No idea" (7 chars: (7 << 3) | 4 = 60 = '<').
        Assert.That(caught, Is.EqualTo(("executed with `Return(\"<No idea\")`\n", "executed with `Return(\"<No idea\")`\n")));
        // simple_leader / simple_valid_err_err: a crashing leader block ends the contract with its VMError, and the
        // validator, given that recorded VMError, ends the same way.
        Assert.That(crash, Is.EqualTo(("executed with `VMError(\"exit_code 1\")`\n", "executed with `VMError(\"exit_code 1\")`\n")));
        // trivial: strict_eq returning a str → Return("Lweb page?") (9 chars: (9 << 3) | 4 = 76 = 'L').
        Assert.That(trivial, Is.EqualTo(("executed with `Return(\"Lweb page?\")`\n", "executed with `Return(\"Lweb page?\")`\n")));
        // metod_det_get_webpage: web from the deterministic VM → 6: forbidden.
        Assert.That(detWeb, Is.EqualTo("det web: 6: forbidden\nexecuted with `Return(\"\\x00\")`\n"));
    }
}
