using System.Text;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus validator cases with recorded leader errors (contract-corpus.md §2.3 leader_errors/simple_valid_err_exit,
/// simple_valid_err_exit_wrong_err, simple_valid_err_nerr, validator/rollback_imm, validator/sync; §2.2
/// disagree_in_sandbox; python-sdk.md §10.2-§10.4; testdata.md §7, §8) through <c>genvm exec --validator</c>: the
/// test writes the leader's recorded result into the state, as the reference harness's <c>leader_nondet</c> does, and
/// the contract's validator function (<c>Corpus/validator_errors.py</c>) decides the vote. The result is always the
/// leader's; a disagreement adds <c>nondet disagreement: 0</c>.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusValidatorTests : CorpusFixture
{
    private static byte[] Rollback(string message) => [1, .. Encoding.UTF8.GetBytes(message)];

    private static byte[] ContractError(string message) => [2, .. Encoding.UTF8.GetBytes(message)];

    private async Task<string> ValidateAsync(string method, byte[] leader, params string[] extra)
    {
        Exec.SetLeaderResults(leader);
        return await Exec.RunAsync("validator_errors.py", ["--method", method, "--validator", .. extra]);
    }

    [SetUp]
    public async Task DeployAsync() => await Exec.RunAsync("validator_errors.py", "--deploy");

    [Test]
    public async Task Exec_LeaderExitedAndValidatorExitsTheSameWay_AgreesOnTheLeadersVmError()
    {
        // simple_valid_err_exit: a recorded contract_error ends the contract with it (§10.3); the validator's sandbox
        // exits with the same code, and equal VM error messages agree (§10.4 compare_vm_errors).
        Assert.That(await ValidateAsync("exits_too", ContractError("exit_code 2")), Is.EqualTo("executed with `VMError(\"exit_code 2\")`\n"));
    }

    [Test]
    public async Task Exec_LeaderRolledBackAndValidatorExits_LeadersUserErrorAndDisagreement()
    {
        // simple_valid_err_exit_wrong_err: the leader's rollback message reads like a VM error, but the kinds differ.
        Assert.That(
            await ValidateAsync("exits_instead", Rollback("exit_code 1")),
            Is.EqualTo("executed with `UserError(\"exit_code 1\")`\nnondet disagreement: 0\n"));
    }

    [Test]
    public async Task Exec_LeaderFailedAndValidatorReturns_LeadersVmErrorAndDisagreement()
    {
        // simple_valid_err_nerr.
        Assert.That(
            await ValidateAsync("returns_instead", ContractError("exit_code 1")),
            Is.EqualTo("executed with `VMError(\"exit_code 1\")`\nnondet disagreement: 0\n"));
    }

    [Test]
    public async Task Exec_ValidatorRollsBackImmediately_MessagesDecideTheVote()
    {
        // rollback_imm (two steps): user_error_immediate in the validator's block is a UserError result; the same
        // message agrees, another one disagrees; the result is the leader's rollback either way.
        var same = await ValidateAsync("immediate", Rollback("No idea"));
        var other = await ValidateAsync("immediate", Rollback("other rollback"));

        Assert.That(same, Is.EqualTo("executed with `UserError(\"No idea\")`\n"));
        Assert.That(other, Is.EqualTo("executed with `UserError(\"other rollback\")`\nnondet disagreement: 0\n"));
    }

    [Test]
    public async Task Exec_SyncValidator_ReturnsTheRecordedValueWithoutRunningTheBlock()
    {
        // validator/sync: the recorded value is the Str "123" (testdata.md §7: 00 + calldata 1c 31 32 33); with --sync
        // nothing runs, so the validator function that votes False is never asked. Without --sync it is, and disagrees.
        byte[] leader = [0, 0x1c, (byte)'1', (byte)'2', (byte)'3'];

        Assert.That(await ValidateAsync("synced", leader, "--sync"), Is.EqualTo("executed with `Return(\"\\x1c123\")`\n"));
        Assert.That(await ValidateAsync("synced", leader), Is.EqualTo("executed with `Return(\"\\x1c123\")`\nnondet disagreement: 0\n"));
    }

    [Test]
    public async Task Exec_NondetInsideASandbox_IsForbiddenForLeaderAndValidator()
    {
        // disagree_in_sandbox: a sandbox may not start a nondet block (§10.2): 6: forbidden, caught inside, so the
        // sandbox returns None; the recorded leader result is present but no nondet call consumes it.
        const string Expected = "6: forbidden\nres=Return(calldata=None)\nexecuted with `Return(\"\\x00\")`\n";

        Assert.That(await ValidateAsync("nondet_in_sandbox", Rollback("No idea")), Is.EqualTo(Expected));
        Assert.That(await Exec.ResultAsync("validator_errors.py", "--method", "nondet_in_sandbox"), Is.EqualTo(Expected));
    }
}
