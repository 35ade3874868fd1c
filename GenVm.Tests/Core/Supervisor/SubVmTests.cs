using System.Buffers.Binary;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;
using GenVm.Tests.Core.Host;
using NUnit.Framework;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// Sub-VMs through whole runs against the fake node (wasm-abi.md §4.2, §5, §7; host-protocol.md §8): the main VM
/// returns the sub-VM's result file as Bytes, and a leaf that echoes its message shows what fd 0 held.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class SubVmTests
{
    private const string CalleeHex = "0300000000000000000000000000000000000000";

    private static CalldataValue Sandbox(byte[] data, bool allowWriteOps) =>
        SubVmContract.Request("Sandbox", CalldataValue.FromMap(("allow_write_ops", allowWriteOps), ("data", data)));

    private static CalldataValue RunNondet(byte[] leader, byte[] validator) =>
        SubVmContract.Request("RunNondet", CalldataValue.FromMap(("data_leader", leader), ("data_validator", validator)));

    // The file the main VM returned as Bytes: code byte + payload.
    private static byte[] ResultFile(ContractRun run)
    {
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.Return), run.ResultLine);
        return CalldataCodec.Decode(run.Node.Result.AsSpan(1)).AsBytes().ToArray();
    }

    private static CalldataMap Message(byte[] file)
    {
        Assert.That(file[0], Is.EqualTo((byte)ResultCode.Return));
        return CalldataCodec.Decode(file.AsSpan(1)).AsMap();
    }

    private static Task<ContractRun> RunAsync(SubVmContract contract, List<byte[]>? leaderResults = null, params string[] extraArgs)
        => new ContractRun { Node = ContractRun.Deploy(contract.Compile(), leaderResults: leaderResults), ExtraArgs = extraArgs }.RunAsync();

    [Test]
    public async Task Sandbox_Echo_SeesEntryKind1AndItsData()
    {
        var run = await RunAsync(new SubVmContract { MainRequest = Sandbox("xyz"u8.ToArray(), false) });

        var message = Message(ResultFile(run));
        Assert.That(message["entry_kind"].AsNumber(), Is.EqualTo((System.Numerics.BigInteger)1));
        Assert.That(message["entry_data"].AsBytes().ToArray(), Is.EqualTo("xyz"u8.ToArray()));
        Assert.That(message["is_init"].AsBool(), Is.False);
        Assert.That(message["entry_stage_data"].IsNull, Is.True);
    }

    [Test]
    public async Task Sandbox_Trap_ReturnsVmErrorInTheFile()
    {
        var run = await RunAsync(new SubVmContract { MainRequest = Sandbox([], true), Leaf = SubVmContract.Trap });

        var file = ResultFile(run);
        Assert.That(file[0], Is.EqualTo((byte)ResultCode.VmError));
        Assert.That(Encoding.UTF8.GetString(file.AsSpan(1)), Is.EqualTo("wasm_trap UnreachableCodeReached"));
    }

    [Test]
    public async Task Sandbox_Rollback_ReturnsUserErrorInTheFile()
    {
        var run = await RunAsync(new SubVmContract { MainRequest = Sandbox([], false), Leaf = SubVmContract.RollbackNo });

        Assert.That(ResultFile(run), Is.EqualTo((byte[])[0x01, .. "no"u8]));
    }

    [Test]
    public async Task Sandbox_StorageRead_IsForbidden()
    {
        // wasm-abi.md §5: a sandbox has no read permission; its exit code 6 comes back as a VM error in the file.
        var run = await RunAsync(new SubVmContract { MainRequest = Sandbox([], true), Leaf = SubVmContract.ExitWithStorageReadErrno });

        Assert.That(Encoding.UTF8.GetString(ResultFile(run)), Is.EqualTo("\u0002exit_code 6"));
    }

    [Test]
    public async Task Sandbox_NondetInside_IsForbidden()
    {
        // testdata.md §9 exploits/disagree_in_sandbox: run_nondet inside a sandbox → forbidden (6).
        var contract = new SubVmContract
        {
            MainRequest = Sandbox([], false),
            Leaf = SubVmContract.ReturnLeafRequestFile,
            LeafRequest = RunNondet([1], [2]),
        };

        var run = await RunAsync(contract);

        Assert.That(Encoding.UTF8.GetString(ResultFile(run)), Is.EqualTo("\u0002exit_code 6"));
        Assert.That(run.Node.Transcript.Any(r => r.Method == (byte)HostMethod.GetLeaderNondetResult), Is.False);
    }

    [Test]
    public async Task RunNondet_Leader_RunsLeaderPostsAndHandsBackItsResult()
    {
        var run = await RunAsync(new SubVmContract { MainRequest = RunNondet([0xaa], [0xbb]) });

        var file = ResultFile(run);
        var message = Message(file);
        Assert.That(message["entry_kind"].AsNumber(), Is.EqualTo((System.Numerics.BigInteger)2));
        Assert.That(message["entry_data"].AsBytes().ToArray(), Is.EqualTo((byte[])[0xaa]));
        Assert.That(message["entry_stage_data"].IsNull, Is.True);

        var ask = run.Node.Transcript.Single(r => r.Method == (byte)HostMethod.GetLeaderNondetResult);
        Assert.That(ask.RawHex, Is.EqualTo("0400000000"));
        var post = run.Node.Transcript.Single(r => r.Method == (byte)HostMethod.PostNondetResult);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(post.Field("call_no")), Is.Zero);
        Assert.That(post.Field("result"), Is.EqualTo(file));
    }

    [Test]
    public async Task RunNondet_LeaderTraps_PostsVmErrorAndAbortsTheCaller()
    {
        var run = await RunAsync(new SubVmContract { MainRequest = RunNondet([], []), Leaf = SubVmContract.Trap });

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"wasm_trap UnreachableCodeReached\")`"));
        var post = run.Node.Transcript.Single(r => r.Method == (byte)HostMethod.PostNondetResult);
        Assert.That(post.Field("result"), Is.EqualTo((byte[])[0x02, .. "wasm_trap UnreachableCodeReached"u8]));
    }

    [Test]
    public async Task RunNondet_StorageReadInLeader_IsForbidden()
    {
        var run = await RunAsync(new SubVmContract { MainRequest = RunNondet([], []), Leaf = SubVmContract.ExitWithStorageReadErrno });

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"exit_code 6\")`"));
    }

    [Test]
    public async Task RunNondet_ValidatorAgrees_NoDisagreementReported()
    {
        var run = await RunAsync(new SubVmContract { MainRequest = RunNondet([], []), Leaf = SubVmContract.ReturnTrue }, [[0x00, 0x10]]);

        Assert.That(ResultFile(run), Is.EqualTo((byte[])[0x00, 0x10]));
        Assert.That(run.Lines, Has.Length.EqualTo(1));
        Assert.That(run.Node.Transcript.Any(r => r.Method is (byte)HostMethod.NotifyNondetDisagreement or (byte)HostMethod.PostNondetResult), Is.False);
    }

    [Test]
    public async Task RunNondet_ValidatorDisagrees_NotifiesBeforeTheResultAndPrintsIt()
    {
        // host-protocol.md §8.4: the leader's result is kept; the disagreement is reported before consume_result.
        var run = await RunAsync(new SubVmContract { MainRequest = RunNondet([], []), Leaf = SubVmContract.ReturnFalse }, [[0x01, .. "leader says no"u8]]);

        Assert.That(run.Lines, Is.EqualTo(new[] { "executed with `Return(\"{\\x01leader says no\")`", "nondet disagreement: 0" }));
        var methods = run.Node.Transcript.Select(r => r.Method).ToList();
        Assert.That(methods[^2..], Is.EqualTo(new[] { (byte)HostMethod.NotifyNondetDisagreement, (byte)HostMethod.ConsumeResult }));
        Assert.That(run.Node.Transcript[^2].RawHex, Is.EqualTo("0e00000000"));
    }

    [Test]
    public async Task RunNondet_ValidatorTraps_IsADisagreement()
    {
        var run = await RunAsync(new SubVmContract { MainRequest = RunNondet([], []), Leaf = SubVmContract.Trap }, [[0x00, 0x10]]);

        Assert.That(run.Lines[^1], Is.EqualTo("nondet disagreement: 0"));
    }

    [Test]
    public async Task RunNondet_LeaderResultAbsent_IsVmErrorAbsent()
    {
        // testdata.md §9 leader_no_nondet: past the recorded leader results the host answers absent.
        var run = await RunAsync(new SubVmContract { MainRequest = RunNondet([], []) }, []);

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"absent\")`"));
    }

    [Test]
    public async Task RunNondet_LeaderVmErrorInValidatorMode_AbortsTheCaller()
    {
        var run = await RunAsync(new SubVmContract { MainRequest = RunNondet([], []), Leaf = SubVmContract.ReturnTrue }, [[0x02, .. "boom"u8]]);

        Assert.That(run.Lines, Is.EqualTo(new[] { "executed with `VMError(\"boom\")`" }));
    }

    [Test]
    public async Task RunNondet_Sync_UsesTheHostResultWithoutAVm()
    {
        // The leaf would disagree if it ran; in --sync mode no VM runs (§8.2).
        var run = await RunAsync(new SubVmContract { MainRequest = RunNondet([], []), Leaf = SubVmContract.ReturnFalse }, [[0x00, 0x10]], "--sync");

        Assert.That(run.Lines, Is.EqualTo(new[] { "executed with `Return(\"\\x13\\x00\\x10\")`" }));
    }

    [Test]
    public async Task RunNondet_SyncWithoutLeaderResult_IsInternalError()
    {
        var run = await RunAsync(new SubVmContract { MainRequest = RunNondet([], []) }, null, "--sync");

        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.VmError));
        Assert.That(Encoding.UTF8.GetString(run.Node.Result.AsSpan(1)), Does.Contain("absent leader result in sync mode, call_no: 0"));
    }

    [Test]
    public async Task RunNondet_TwoCalls_NumberedFrom0()
    {
        var contract = new SubVmContract { MainRequest = RunNondet([], []), MainRepeat = 2, Leaf = SubVmContract.ReturnTrue };

        var run = await RunAsync(contract, [[0x00, 0x10], [0x00, 0x08]]);

        var asks = run.Node.Transcript.Where(r => r.Method == (byte)HostMethod.GetLeaderNondetResult).Select(r => r.RawHex).ToList();
        Assert.That(asks, Is.EqualTo(new[] { "0400000000", "0401000000" }));
        Assert.That(run.Lines, Has.Length.EqualTo(1));
    }

    [Test]
    public async Task RunNondet_TwoCallsBothDisagree_ReportsTheSmallestOnce()
    {
        var contract = new SubVmContract { MainRequest = RunNondet([], []), MainRepeat = 2, Leaf = SubVmContract.ReturnFalse };

        var run = await RunAsync(contract, [[0x00, 0x10], [0x00, 0x10]]);

        Assert.That(run.Lines[^1], Is.EqualTo("nondet disagreement: 0"));
        Assert.That(run.Node.Transcript.Count(r => r.Method == (byte)HostMethod.NotifyNondetDisagreement), Is.EqualTo(1));
    }

    [Test]
    public async Task CallContract_Echo_SeesViewMessageAndReadsCalleeCodeWithTheRequestedType()
    {
        var main = new SubVmContract
        {
            MainRequest = SubVmContract.Request("CallContract", CalldataValue.FromMap(
                ("address", new Address(Convert.FromHexString(CalleeHex))),
                ("calldata", CalldataValue.FromMap(("x", 1))),
                ("state", 0))),
        };
        var node = ContractRun.Deploy(main.Compile());
        ContractRun.DeployAt(node, CalleeHex, new SubVmContract().Compile());

        var run = await ContractRun.RunAsync(node);

        var message = Message(ResultFile(run));
        Assert.That(message["contract_address"].AsAddress().ToHex(), Is.EqualTo(CalleeHex));
        Assert.That(message["stack"].AsArray().Select(a => a.AsAddress().ToHex()), Is.EqualTo(new[] { ContractRun.ContractHex }));
        Assert.That(message["entry_data"].AsBytes().ToArray(), Is.EqualTo(CalldataCodec.Encode(CalldataValue.FromMap(("x", 1)))));
        Assert.That(message["entry_kind"].AsNumber().IsZero, Is.True);
        Assert.That(message["value"].AsNumber().IsZero, Is.True);

        // host-protocol.md §7.1 step 5: the callee's code reads use its read type (state 0 → latest_non_final = 2).
        var calleeReads = run.Node.Transcript
            .Where(r => r.Method == (byte)HostMethod.StorageRead && Convert.ToHexStringLower(r.Field("account")) == CalleeHex)
            .ToList();
        Assert.That(calleeReads, Has.Count.EqualTo(2));
        Assert.That(calleeReads.Select(r => r.Field("read_type")[0]), Is.All.EqualTo(2));
    }

    [Test]
    public async Task CallContract_CalleeTraps_AbortsTheCallerWithTheSameError()
    {
        var main = new SubVmContract
        {
            MainRequest = SubVmContract.Request("CallContract", CalldataValue.FromMap(
                ("address", new Address(Convert.FromHexString(CalleeHex))), ("calldata", CalldataValue.Null), ("state", 1))),
        };
        var node = ContractRun.Deploy(main.Compile());
        ContractRun.DeployAt(node, CalleeHex, new SubVmContract { Leaf = SubVmContract.Trap }.Compile());

        var run = await ContractRun.RunAsync(node);

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"wasm_trap UnreachableCodeReached\")`"));
    }

    [Test]
    public async Task CallContract_NoCode_IsInvalidContractAbsentRunnerComment()
    {
        var main = new SubVmContract
        {
            MainRequest = SubVmContract.Request("CallContract", CalldataValue.FromMap(
                ("address", new Address(Convert.FromHexString(CalleeHex))), ("calldata", CalldataValue.Null), ("state", 1))),
        };

        var run = await RunAsync(main);

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"invalid_contract absent_runner_comment\")`"));
    }

    [Test]
    public async Task CallContract_BadState_IsInval()
    {
        var main = new SubVmContract
        {
            MainRequest = SubVmContract.Request("CallContract", CalldataValue.FromMap(
                ("address", new Address(Convert.FromHexString(CalleeHex))), ("calldata", CalldataValue.Null), ("state", 3))),
        };

        var run = await RunAsync(main);

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"exit_code 2\")`"));
    }

    [Test]
    public async Task CallContract_WithoutCallPermission_IsForbidden()
    {
        var main = new SubVmContract
        {
            MainRequest = SubVmContract.Request("CallContract", CalldataValue.FromMap(
                ("address", new Address(Convert.FromHexString(CalleeHex))), ("calldata", CalldataValue.Null), ("state", 1))),
        };

        var run = await RunAsync(main, null, "--permissions", "rwsn");

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"exit_code 6\")`"));
    }
}
