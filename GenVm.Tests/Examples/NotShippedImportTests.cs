using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Contracts that import numpy or PIL, which come with the reference's cpython runner and not with ours, end with the
/// error of a runner we do not ship, <c>VMError("invalid_contract")</c> (runners.md §5; docs/decisions.md "Runners:
/// imports of numpy and PIL"), through the real <c>genvm exec</c> process; contracts that do not import them are
/// unchanged. Contracts: <c>GenVm.Tests/Examples/NotShipped/</c>.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class NotShippedImportTests
{
    private const string InvalidContract = "executed with `VMError(\"invalid_contract\")`\n";

    private ExampleExec? _exec;

    [SetUp]
    public void SetUp() => _exec = ExampleExec.CreateOrIgnore();

    [TearDown]
    public void TearDown() => _exec?.Delete();

    private static string Contract(string name) => Path.Combine("..", "GenVm.Tests", "Examples", "NotShipped", name);

    private string State => Path.Combine(_exec!.Directory, "state.json");

    private (int ExitCode, string Stdout, string Stderr) Run(string contract, params string[] args)
        => _exec!.Run(Contract(contract), [.. args, "--state", State]);

    private static void AssertEndedForMissing(string module, (int ExitCode, string Stdout, string Stderr) run)
    {
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        Assert.That(run.Stdout, Is.EqualTo(InvalidContract), run.Stderr);
        // The operator's explanation on the contract's stderr, instead of a ModuleNotFoundError traceback.
        Assert.That(run.Stderr, Does.Contain($"genlayer: cannot import {module}: it comes with the reference's cpython runner"));
        Assert.That(run.Stderr, Does.Not.Contain("ModuleNotFoundError"));
    }

    [Test]
    public void Exec_TopLevelNumpyImport_EndsWithTheRunnerError()
    {
        var deploy = Run("numpy_import.py", "--deploy");

        // Exactly the result line: no storage changes are kept.
        AssertEndedForMissing("numpy", deploy);
    }

    [Test]
    public void Exec_PilImportInMethods_EndsWithTheRunnerErrorInEveryVmKind()
    {
        var deploy = Run("pil_import.py", "--deploy");
        var thumbnail = Run("pil_import.py", "--method", "thumbnail");
        var guarded = Run("pil_import.py", "--method", "guarded");
        var nondet = Run("pil_import.py", "--method", "in_nondet");
        var sandbox = Run("pil_import.py", "--method", "in_sandbox");
        var bump = Run("pil_import.py", "--method", "bump");

        Assert.That(deploy.Stdout, Does.StartWith("executed with `Return(\"\\x00\")`\n"), deploy.Stderr);
        AssertEndedForMissing("PIL", thumbnail);

        // `except ImportError` does not see it: in the reference the import succeeds, so a fall-back would disagree.
        AssertEndedForMissing("numpy", guarded);

        // A nondet VM ends the same way; its VMError ends the calling VM (wasm-abi.md §4 RunNondet).
        AssertEndedForMissing("PIL", nondet);

        // A sandbox hands the same VMError back as a value (python-sdk.md §10.2); the view returns its repr (calldata
        // string of 35 bytes: header 9c 02).
        Assert.That(sandbox.Stdout, Is.EqualTo("executed with `Return(\"\\9c\\x02VMError(message='invalid_contract')\")`\n"), sandbox.Stderr);

        // The writes of `thumbnail` and `in_nondet` were dropped: 1 (deploy) + 1 = 2 (calldata 11).
        Assert.That(bump.Stdout, Does.StartWith("executed with `Return(\"\\x11\")`\n"), bump.Stderr);
    }

    [Test]
    public void Exec_ContractWithoutThem_KeepsImportErrorsOfOtherModules()
    {
        var deploy = Run("no_missing_imports.py", "--deploy");
        var probe = Run("no_missing_imports.py", "--method", "probe");

        Assert.That(deploy.Stdout, Does.StartWith("executed with `Return(\"\\x00\")`\n"), deploy.Stderr);
        Assert.That(probe.ExitCode, Is.Zero, probe.Stderr);
        // The returned list (calldata array of 5 strings, rendered as bytes): the constructor's entry, three
        // ModuleNotFoundErrors (embeddings and tokenizer as in the reference without their runners) and find_spec's None.
        Assert.That(probe.Stdout, Does.StartWith(
            """executed with `Return("-d{"ok": true}\dc\x01numpyx: ModuleNotFoundError\c4\x02genlayer_embeddings: ModuleNotFoundError\cc\x02word_piece_tokenizer: ModuleNotFoundError$None")`"""
            + "\n"), probe.Stderr);
        Assert.That(probe.Stderr, Does.Not.Contain("cannot import"));
    }
}
