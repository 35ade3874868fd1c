using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Messages;
using GenVm.Host.Verbs;
using GenVm.Tests.Core.Supervisor;
using GenVm.Tests.Wasm;
using NUnit.Framework;

namespace GenVm.Tests.Host;

/// <summary><c>genvm exec</c> end to end (in-process verb, real executor, in-process node over a Unix socket).</summary>
[TestFixture]
[Category("Executor")]
public sealed class ExecVerbTests
{
    // Prints "hello", increments byte 0 of the root slot, and rolls back once the counter reaches 3.
    private const string Counter = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "genlayer_sdk" "storage_write" (func $storage_write (param i32 i32 i32 i32) (result i32)))
          (import "genlayer_sdk" "storage_read" (func $storage_read (param i32 i32 i32 i32) (result i32)))
          (import "genlayer_sdk" "gl_call" (func $gl_call (param i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 100) "hello\n")
          (data (i32.const 120) "\0e\08Rollback\14no")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 6))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (drop (call $storage_read (i32.const 200) (i32.const 0) (i32.const 300) (i32.const 1)))
            (i32.store8 (i32.const 300) (i32.add (i32.load8_u (i32.const 300)) (i32.const 1)))
            (drop (call $storage_write (i32.const 200) (i32.const 0) (i32.const 300) (i32.const 1)))
            (if (i32.eq (i32.load8_u (i32.const 300)) (i32.const 3))
              (then (drop (call $gl_call (i32.const 120) (i32.const 13) (i32.const 400)))))))
        """;

    private string _dir = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "genvm-exec-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Contract(string wat)
    {
        var path = Path.Combine(_dir, "contract.wasm");
        File.WriteAllBytes(path, WatCompiler.Compile(wat));
        return path;
    }

    private string StatePath => Path.Combine(_dir, "state.json");

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var verb = new ExecVerb(() => stdout, () => stderr);
        var code = await verb.RunCoreAsync(args, CancellationToken.None);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Test]
    public async Task Exec_CounterTwice_PersistsStorageInTheStateFile()
    {
        var contract = Contract(Counter);

        var first = await ExecAsync(contract, "--state", StatePath);
        var second = await ExecAsync(contract, "--state", StatePath);

        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        Assert.That(first.Stdout, Is.EqualTo(
            "hello\nexecuted with `Return(\"\\x00\")`\n" +
            "storage 0x0100000000000000000000000000000000000000 0000000000000000000000000000000000000000000000000000000000000000: (empty) -> 0x01\n"));
        Assert.That(second.Stdout, Does.EndWith(": 0x01 -> 0x02\n"));
        Assert.That(File.ReadAllText(StatePath), Does.Contain("\"0000000000000000000000000000000000000000000000000000000000000000\": \"02\""));
    }

    [Test]
    public async Task Exec_Rollback_KeepsTheStateUnchanged()
    {
        var contract = Contract(Counter);
        await ExecAsync(contract, "--state", StatePath);
        await ExecAsync(contract, "--state", StatePath);
        var before = File.ReadAllText(StatePath);

        var third = await ExecAsync(contract, "--state", StatePath);

        Assert.That(third.Stdout, Is.EqualTo("hello\nexecuted with `UserError(\"no\")`\n"));
        Assert.That(File.ReadAllText(StatePath), Is.EqualTo(before));
    }

    [Test]
    public async Task Exec_MethodArgsSenderValueDeploy_ReachTheContractMessage()
    {
        var contract = Contract(new SubVmContract().ToWat());

        var run = await ExecAsync(contract, "--method", "add", "--args", "[1, \"two\"]", "--sender", "0x0300000000000000000000000000000000000000", "--value", "5", "--deploy");

        var calldata = CalldataCodec.Encode(CalldataText.Parse("{\"args\": [1, \"two\"], \"method\": \"add\"}"));
        var message = new TransactionMessage(
            Address.Parse("0100000000000000000000000000000000000000"),
            Address.Parse("0300000000000000000000000000000000000000"),
            Address.Parse("0300000000000000000000000000000000000000"),
            0,
            5,
            true,
            MessageDatetime.Default);
        var expected = ResultLineFormatter.FormatReturn(ExtendedMessage.ForTopLevel(message, calldata).Encode());
        Assert.That(run.Stdout, Is.EqualTo(expected + "\n"));
    }

    [Test]
    public async Task Exec_LeaderThenValidator_ReplaysLeaderResultsAndReportsDisagreement()
    {
        var nondet = CalldataValue.FromMap(("RunNondet", CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 }))));
        var contract = Contract(new SubVmContract { MainRequest = nondet, Leaf = SubVmContract.ReturnFalse }.ToWat());

        var leader = await ExecAsync(contract, "--state", StatePath, "--leader");
        var validator = await ExecAsync(contract, "--state", StatePath, "--validator");

        Assert.That(leader.Stdout, Is.EqualTo("executed with `Return(\"\\x13\\x00\\x08\")`\n"));
        Assert.That(File.ReadAllText(StatePath), Does.Contain("\"0008\""));
        Assert.That(validator.Stdout, Is.EqualTo("executed with `Return(\"\\x13\\x00\\x08\")`\nnondet disagreement: 0\n"));
    }

    [Test]
    public async Task Exec_ValidatorWithoutLeaderResults_IsAbsent()
    {
        var nondet = CalldataValue.FromMap(("RunNondet", CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 }))));
        var contract = Contract(new SubVmContract { MainRequest = nondet }.ToWat());

        var run = await ExecAsync(contract, "--validator");

        Assert.That(run.Stdout, Is.EqualTo("executed with `VMError(\"absent\")`\n"));
        Assert.That(run.ExitCode, Is.Zero);
    }

    [Test]
    public async Task Exec_PrintFingerprint_PrintsIt()
    {
        var contract = Contract("(module (memory (export \"memory\") 1) (func (export \"_start\") unreachable))");

        var run = await ExecAsync(contract, "--print", "fingerprint");

        Assert.That(run.Stdout, Does.StartWith("Fingerprint: Some({"));
        Assert.That(run.Stdout, Does.Not.Contain("executed with"));
    }

    [Test]
    public async Task Exec_Help_PrintsUsageAndExits0()
    {
        var run = await ExecAsync("--help");

        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.Stdout, Does.StartWith("usage: genvm exec <contract> [options]"));
        Assert.That(run.Stdout, Does.Contain("--validator"));
    }

    [TestCase(new string[0], "no contract file given", TestName = "Exec_NoContract_OneLineError")]
    [TestCase(new[] { "missing.wasm" }, "missing.wasm", TestName = "Exec_MissingFile_OneLineError")]
    [TestCase(new[] { "c.wasm", "--args", "{" }, "--args: bad calldata text", TestName = "Exec_BadArgsText_OneLineError")]
    [TestCase(new[] { "c.wasm", "--args", "{}" }, "--args must be an array", TestName = "Exec_ArgsNotArray_OneLineError")]
    [TestCase(new[] { "c.wasm", "--sender", "0x12" }, "--sender must be 40 hex digits", TestName = "Exec_BadSender_OneLineError")]
    [TestCase(new[] { "c.wasm", "--value", "-1" }, "--value must be a whole number", TestName = "Exec_BadValue_OneLineError")]
    [TestCase(new[] { "c.wasm", "--frob" }, "unknown option `--frob`", TestName = "Exec_UnknownOption_OneLineError")]
    [TestCase(new[] { "c.wasm", "--calldata", "{}", "--method", "m" }, "--calldata replaces", TestName = "Exec_CalldataAndMethod_OneLineError")]
    [TestCase(new[] { "c.wasm", "--permissions", "rx" }, "Invalid permissions", TestName = "Exec_BadPermissions_OneLineError")]
    public async Task Exec_BadInput_ExitsOneWithOneLine(string[] args, string expected)
    {
        var run = await ExecAsync(args);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Stdout, Is.Empty);
        Assert.That(run.Stderr, Does.StartWith("genvm exec: ").And.Contain(expected));
        Assert.That(run.Stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Exec_BadStateJson_OneLineError()
    {
        var contract = Contract(Counter);
        File.WriteAllText(StatePath, "{\"accounts\": {\"nope\": {}}}");

        var run = await ExecAsync(contract, "--state", StatePath);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Stderr, Is.EqualTo("genvm exec: state: bad address `nope`\n"));
    }

    [Test]
    public async Task Exec_ContractThatDeploys_ChildIsCreatedAndRunsLaterFromTheState()
    {
        // python-sdk.md §12.3: a DeployContract request (salt 1) whose code is the counter; exec applies it
        // (docs/decisions.md "genvm exec applies deploys") at 0xf539…d633, the §12.3 vector for deployer 0x01….
        var child = WatCompiler.Compile(Counter);
        var request = CalldataCodec.Encode(CalldataValue.FromMap(("DeployContract", CalldataValue.FromMap(
            ("calldata", CalldataMap.Empty),
            ("code", CalldataValue.FromBytes(child)),
            ("value", CalldataValue.FromNumber(0)),
            ("on", CalldataValue.FromString("finalized")),
            ("salt_nonce", CalldataValue.FromNumber(1))))));
        var data = string.Concat(request.Select(b => $"\\{b:x2}"));
        var deployer = Contract($$"""
            (module
              (import "genlayer_sdk" "gl_call" (func $gl_call (param i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "{{data}}")
              (func (export "_start")
                (drop (call $gl_call (i32.const 16) (i32.const {{request.Length}}) (i32.const 8)))))
            """);
        const string Child = "0xf539cb83f077cd01bdd1a4e002866dcc0d15d633";

        var deploy = await ExecAsync(deployer, "--state", StatePath);
        var later = await ExecAsync("--address", Child, "--state", StatePath);

        Assert.That(deploy.ExitCode, Is.Zero, deploy.Stderr);
        Assert.That(deploy.Stdout, Does.StartWith(
            "executed with `Return(\"\\x00\")`\n"
            + $"deploy_contract {{\"on\":\"finalized\",\"salt_nonce\":\"0x1\",\"value\":\"0x0\"}} ({child.Length} octets of code): {{}}\n"
            + $"deployed {Child} by 0x0100000000000000000000000000000000000000:\n"
            + "hello\nexecuted with `Return(\"\\x00\")`\n"));
        Assert.That(deploy.Stdout, Does.Contain($"storage {Child} {new string('0', 64)}: (empty) -> 0x01\n"));
        Assert.That(later.Stdout, Is.EqualTo(
            "hello\nexecuted with `Return(\"\\x00\")`\n" + $"storage {Child} {new string('0', 64)}: 0x01 -> 0x02\n"));
    }

    [Test]
    public async Task Exec_NoContractButCodeInTheState_RunsTheStoredCode()
    {
        var contract = Contract(Counter);
        await ExecAsync(contract, "--state", StatePath);

        var stored = await ExecAsync("--state", StatePath);
        var elsewhere = await ExecAsync("--state", StatePath, "--address", "0x0900000000000000000000000000000000000000");

        Assert.That(stored.ExitCode, Is.Zero, stored.Stderr);
        Assert.That(stored.Stdout, Does.StartWith("hello\n").And.EndWith(": 0x01 -> 0x02\n"));
        Assert.That(elsewhere.ExitCode, Is.EqualTo(1));
        Assert.That(elsewhere.Stderr, Is.EqualTo(
            "genvm exec: no contract file given and no code at 0x0900000000000000000000000000000000000000 in the state (usage: genvm exec <contract> [--method m --args '[…]'])\n"));
    }
}
