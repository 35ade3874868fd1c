using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// <c>examples/nondet_sum.py</c>: nondet blocks around a pure computation run as leader, then as validator replaying the
/// leader's saved results, through the real <c>genvm exec</c> process.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class NondetExampleTests
{
    // sum(i * i for i in range(10)) = 285 = (285 << 3) | 1 = 2281 = e9 11 (calldata.md); e9 alone is not UTF-8.
    private const string Sum285 = "executed with `Return(\"\\e9\\x11\")`\n";

    private ExampleExec? _exec;

    [SetUp]
    public void SetUp() => _exec = ExampleExec.CreateOrIgnore();

    [TearDown]
    public void TearDown() => _exec?.Delete();

    [TestCase("strict")]
    [TestCase("checked")]
    public void Exec_LeaderThenValidator_BothReturnTheLeadersValueAndAgree(string method)
    {
        var state = Path.Combine(_exec!.Directory, "state.json");

        var deploy = _exec.Run("nondet_sum.py", "--deploy", "--state", state);
        var leader = _exec.Run("nondet_sum.py", "--method", method, "--args", "[10]", "--leader", "--state", state);
        var validator = _exec.Run("nondet_sum.py", "--method", method, "--args", "[10]", "--validator", "--state", state);

        Assert.That(deploy.ExitCode, Is.Zero, deploy.Stderr);
        Assert.That(leader.ExitCode, Is.Zero, leader.Stderr);
        Assert.That(leader.Stdout, Does.StartWith(Sum285), leader.Stderr);
        // python-sdk.md §17.3: the u256 field now holds 285 = 0x011d, little-endian.
        Assert.That(leader.Stdout, Does.Contain("-> 0x1d01000000000000000000000000000000000000000000000000000000000000"));
        // host-protocol.md §9: a validator that agrees prints no disagreement line; the stored value is unchanged.
        Assert.That(validator.ExitCode, Is.Zero, validator.Stderr);
        Assert.That(validator.Stdout, Is.EqualTo(Sum285), validator.Stderr);
    }

    [Test]
    public void Exec_ValidatorVotesAgainst_ReturnsTheLeadersValueAndReportsDisagreement()
    {
        var state = Path.Combine(_exec!.Directory, "state.json");

        _exec.Run("nondet_sum.py", "--deploy", "--state", state);
        var leader = _exec.Run("nondet_sum.py", "--method", "disagree", "--args", "[10]", "--leader", "--state", state);
        var validator = _exec.Run("nondet_sum.py", "--method", "disagree", "--args", "[10]", "--validator", "--state", state);
        var sync = _exec.Run("nondet_sum.py", "--method", "disagree", "--args", "[10]", "--validator", "--sync", "--state", state);

        Assert.That(leader.Stdout, Is.EqualTo(Sum285), leader.Stderr);
        // python-sdk.md §10.3: the validator's Return(false) is a disagreement on call_no 0 (host-protocol.md §8, §9);
        // the contract's result stays the leader's value.
        Assert.That(validator.Stdout, Is.EqualTo(Sum285 + "nondet disagreement: 0\n"), validator.Stderr);
        // Sync mode runs no validator, so nothing can disagree.
        Assert.That(sync.Stdout, Is.EqualTo(Sum285), sync.Stderr);
    }

    [Test]
    public void Exec_UserErrorInStrictEq_IsCaughtByTheContractAsLeaderAndValidator()
    {
        var state = Path.Combine(_exec!.Directory, "state.json");

        _exec.Run("nondet_sum.py", "--deploy", "--state", state);
        var leader = _exec.Run("nondet_sum.py", "--method", "caught", "--leader", "--state", state);
        var validator = _exec.Run("nondet_sum.py", "--method", "caught", "--validator", "--state", state);

        // python-sdk.md §10.1: str() of the UserError is its dataclass repr; the 36-character string is the varint
        // (36 << 3) | 4 = 292 = a4 02 (calldata.md), a4 alone is not UTF-8 (§9.1). Both UserErrors compare equal, so the
        // validator agrees (§11 strict_eq).
        const string message = "caught UserError(message='negative')";
        const string expected = "executed with `Return(\"\\a4\\x02" + message + "\")`\n";
        Assert.That(message, Has.Length.EqualTo(36));
        Assert.That(leader.Stdout, Is.EqualTo(expected), leader.Stderr);
        Assert.That(validator.Stdout, Is.EqualTo(expected), validator.Stderr);
    }
}
