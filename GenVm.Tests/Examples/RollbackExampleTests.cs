using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary><c>examples/rollback.py</c>: write methods that roll back, through the real <c>genvm exec</c> process.</summary>
[TestFixture]
[Category("Toolchain")]
public sealed class RollbackExampleTests
{
    private ExampleExec? _exec;

    [SetUp]
    public void SetUp() => _exec = ExampleExec.CreateOrIgnore();

    [TearDown]
    public void TearDown() => _exec?.Delete();

    [Test]
    public void Exec_UserErrorAndImmediateRollback_PrintUserErrorAndKeepNoStorage()
    {
        var state = Path.Combine(_exec!.Directory, "state.json");

        var deploy = _exec.Run("rollback.py", "--deploy", "--state", state);
        var raised = _exec.Run("rollback.py", "--method", "set_then_refuse", "--args", "[9]", "--state", state);
        var immediate = _exec.Run("rollback.py", "--method", "refuse_immediately", "--state", state);
        var get = _exec.Run("rollback.py", "--method", "get", "--state", state);

        Assert.That(deploy.Stdout, Does.StartWith("executed with `Return(\"\\x00\")`\n"), deploy.Stderr);
        // python-sdk.md §6.3: UserError raised out of the method, and user_error_immediate, are `UserError(msg)`;
        // calldata.md §9.1 renders it; the storage writes before them are dropped (no storage lines).
        Assert.That(raised.ExitCode, Is.Zero, raised.Stderr);
        Assert.That(raised.Stdout, Is.EqualTo("executed with `UserError(\"no\")`\n"), raised.Stderr);
        Assert.That(immediate.Stdout, Is.EqualTo("executed with `UserError(\"stop\")`\n"), immediate.Stderr);
        // The value is still the constructor's 1 (calldata 0x09): neither 9 nor 7 was kept.
        Assert.That(get.Stdout, Is.EqualTo("executed with `Return(\"\\x09\")`\n"), get.Stderr);
    }
}
