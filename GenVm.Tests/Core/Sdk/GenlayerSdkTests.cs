using GenVm.Core.Protocol;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;

namespace GenVm.Tests.Core.Sdk;

/// <summary>
/// <c>genlayer_sdk</c> through whole runs: each contract reports an errno as its <c>proc_exit</c> code, so errno 0
/// reads as <c>Return</c> and errno n as <c>exit_code n</c> (wasm-abi.md §3, §4, §14).
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class GenlayerSdkTests
{
    private const string Address3 = "0300000000000000000000000000000000000000";

    private const string Imports = """
        (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
        (import "genlayer_sdk" "gl_call" (func $gl_call (param i32 i32 i32) (result i32)))
        (import "genlayer_sdk" "get_balance" (func $get_balance (param i32 i32) (result i32)))
        (import "genlayer_sdk" "get_self_balance" (func $get_self_balance (param i32) (result i32)))
        (import "genlayer_sdk" "storage_write" (func $storage_write (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        """;

    private static string Bytes(string hex) => string.Concat(Convert.FromHexString(hex).Select(b => $"\\{b:x2}"));

    private static string GlCallContract(string requestHex) => $$"""
        (module {{Imports}}
          (data (i32.const 0) "{{Bytes(requestHex)}}")
          (func (export "_start")
            (call $proc_exit (call $gl_call (i32.const 0) (i32.const {{requestHex.Length / 2}}) (i32.const 4096)))))
        """;

    private static string ExitLine(int errno) =>
        errno == 0 ? "executed with `Return(\"\\x00\")`" : $"executed with `VMError(\"exit_code {errno}\")`";

    // {"PostMessage": {"address": 03.., "calldata": null, "on": "finalized", "value": <v>}}
    private static string PostMessage(string valueHex) =>
        "0e0b506f73744d6573736167652607616464726573731803000000000000000000000000000000000000000863616c6c6461746100026f6e4c66696e616c697a65640576616c7565" + valueHex;

    [Test]
    public async Task GlCall_PostMessage_SendsToTheHostAndReturnsNoFile()
    {
        var run = await ContractRun.RunAsync(GlCallContract(PostMessage("01")));

        Assert.That(run.ResultLine, Is.EqualTo(ExitLine(0)));
        var posts = run.Node.Transcript.Where(r => r.Method == (byte)HostMethod.PostMessage).ToList();
        Assert.That(posts, Has.Count.EqualTo(1));
        Assert.That(Convert.ToHexStringLower(posts[0].Field("to")), Is.EqualTo(Address3));
        Assert.That(Convert.ToHexStringLower(posts[0].Field("calldata")), Is.EqualTo("00"));
    }

    [Test]
    public async Task GlCall_PostMessageValueAboveBalance_IsInbalance()
    {
        // value 5 (pint 0x29) with the own balance 0 → inbalance (7); the host is asked for the balance only.
        var run = await ContractRun.RunAsync(GlCallContract(PostMessage("29")));

        Assert.That(run.ResultLine, Is.EqualTo(ExitLine((int)SdkErrno.Inbalance)));
        Assert.That(run.Node.Transcript.Any(r => r.Method == (byte)HostMethod.PostMessage), Is.False);
        Assert.That(run.Node.Transcript.Count(r => r.Method == (byte)HostMethod.GetBalance), Is.EqualTo(1));
    }

    [TestCase("0e0b506f73744d6573736167652e07616464726573731803000000000000000000000000000000000000000863616c6c6461746100026f6e4c66696e616c697a65640576616c756501017800", TestName = "GlCall_UnknownField_IsInval")]
    [TestCase("0e09456d69744576656e741604626c6f620606746f7069637305", TestName = "GlCall_EmitEventBelowV015_IsInval")]
    [TestCase("0e0554726163650e074d657373616765146869", TestName = "GlCall_TraceBelowV0110_IsInval")]
    [TestCase("0e06", TestName = "GlCall_TruncatedRequest_IsInval")]
    [TestCase("00", TestName = "GlCall_NotAMap_IsInval")]
    public async Task GlCall_Rejected_IsInval(string requestHex)
    {
        var run = await ContractRun.RunAsync(GlCallContract(requestHex));

        Assert.That(run.ResultLine, Is.EqualTo(ExitLine((int)SdkErrno.Inval)));
    }

    [Test]
    public async Task GlCall_MissingRunner_EndsWithInvalidContractAndNeverReturns()
    {
        // Our variant (docs/decisions.md "Runners: imports of numpy and PIL"): {"MissingRunner": "numpy"} ends the VM
        // as a runner that is not found does (runners.md §5); proc_exit after the call is never reached.
        var run = await ContractRun.RunAsync(GlCallContract("0e0d4d697373696e6752756e6e65722c6e756d7079"));

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"invalid_contract\")`"));
    }

    [Test]
    public async Task GlCall_MissingRunnerWithoutName_IsInval()
    {
        // {"MissingRunner": null}: the payload must be the module name (Str).
        var run = await ContractRun.RunAsync(GlCallContract("0e0d4d697373696e6752756e6e657200"));

        Assert.That(run.ResultLine, Is.EqualTo(ExitLine((int)SdkErrno.Inval)));
    }

    [Test]
    public async Task GetBalance_Address_WritesLittleEndianU256FromTheHostOnce()
    {
        // get_balance twice (the second from the run's cache), then Return the 32 bytes as Bytes (tag 83 02).
        var wat = $$"""
            (module {{Imports}}
              (data (i32.const 0) "{{Bytes(Address3)}}")
              (data (i32.const 100) "\0e\06Return\83\02")
              (func (export "_start")
                (drop (call $get_balance (i32.const 0) (i32.const 110)))
                (drop (call $get_balance (i32.const 0) (i32.const 110)))
                (drop (call $gl_call (i32.const 100) (i32.const 42) (i32.const 4096)))))
            """;
        var node = ContractRun.Deploy(Wasm.WatCompiler.Compile(wat));
        node.Balances[Address3] = 0x0102;

        var run = await ContractRun.RunAsync(node);

        byte[] expected = [0x83, 0x02, 0x02, 0x01, .. new byte[30]];
        Assert.That(run.ResultLine, Is.EqualTo(GenVm.Core.Calldata.ResultLineFormatter.FormatReturn(expected)));
        Assert.That(run.Node.Result, Is.EqualTo((byte[])[0x00, .. expected]));
        Assert.That(run.Node.Transcript.Count(r => r.Method == (byte)HostMethod.GetBalance), Is.EqualTo(1));
    }

    [Test]
    public async Task StorageWrite_LockedSlot_IsForbidden()
    {
        const string slot = "4444444444444444444444444444444444444444444444444444444444444444";
        var wat = $$"""
            (module {{Imports}}
              (data (i32.const 0) "{{Bytes(slot)}}")
              (func (export "_start")
                (call $proc_exit (call $storage_write (i32.const 0) (i32.const 0) (i32.const 64) (i32.const 1)))))
            """;
        var node = ContractRun.Deploy(Wasm.WatCompiler.Compile(wat));
        node.Write(ContractRun.ContractHex, SlotId.LockedSlots, 0, BitConverter.GetBytes(1u));
        node.Write(ContractRun.ContractHex, SlotId.LockedSlots, 4, Convert.FromHexString(slot));

        var run = await ContractRun.RunAsync(node);

        Assert.That(run.ResultLine, Is.EqualTo(ExitLine((int)SdkErrno.Forbidden)));
        Assert.That(run.Node.Transcript.Any(r => r.Method == (byte)HostMethod.StorageWrite), Is.False);
    }

    [Test]
    public async Task GetSelfBalance_Det_IsTheOwnBalance()
    {
        var wat = $$"""
            (module {{Imports}}
              (func (export "_start")
                (drop (call $get_self_balance (i32.const 8)))
                (call $proc_exit (i32.load8_u (i32.const 8)))))
            """;
        var node = ContractRun.Deploy(Wasm.WatCompiler.Compile(wat));
        node.Balances[ContractRun.ContractHex] = 9;

        var run = await ContractRun.RunAsync(node);

        Assert.That(run.ResultLine, Is.EqualTo(ExitLine(9)));
    }
}
