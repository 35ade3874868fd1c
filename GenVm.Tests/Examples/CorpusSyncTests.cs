using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// <c>genvm exec --validator --sync</c> (host-protocol.md §8.2 sync mode; contract-corpus.md §2.3 validator/sync_err): the
/// leader results are used without running validators, so a rollback the validator would dispute is not reported.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusSyncTests
{
    [Test]
    public async Task Exec_SyncValidatorAfterLeaderRollback_GivesTheLeaderUserErrorWithoutRunningValidators()
    {
        await using var exec = CorpusExec.CreateOrIgnore();

        await exec.RunAsync("nondet_validate.py", "--deploy");
        var leader = await exec.RunAsync("nondet_validate.py", "--method", "disagree");
        var sync = await exec.RunAsync("nondet_validate.py", "--method", "disagree", "--validator", "--sync");
        var validating = await exec.RunAsync("nondet_validate.py", "--method", "disagree", "--validator");

        // The leader block rolls back with UserError("No idea"); the validator function would raise another message.
        Assert.That(leader, Is.EqualTo("executed with `UserError(\"No idea\")`\n"));
        // --sync: the leader's result is taken as is, no validator runs, so no disagreement is reported.
        Assert.That(sync, Is.EqualTo("executed with `UserError(\"No idea\")`\n"));
        // Without --sync the same replay runs the validator and disagrees on call 0 (testdata.md rollback_disagree).
        Assert.That(validating, Is.EqualTo("executed with `UserError(\"No idea\")`\nnondet disagreement: 0\n"));
    }
}
