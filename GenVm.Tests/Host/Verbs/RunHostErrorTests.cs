using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;
using static GenVm.Core.Calldata.CalldataValue;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// A host that answers with error codes (host-protocol.md §4) to each method the executor issues, through whole
/// <c>genvm run</c>s over a Unix socket: codes 1-4 trap the calling VM with <c>VMError("&lt;name&gt;")</c>, which becomes
/// the transaction result; any other code is an internal error.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class RunHostErrorTests
{
    private static readonly Address A3 = new(Convert.FromHexString("0300000000000000000000000000000000000000"));
    private static readonly byte[] Slot33 = Enumerable.Repeat((byte)0x33, 32).ToArray();
    private static readonly CalldataValue EmptyMap = Decode([0x06]);

    private const string Message2025 =
        "{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"value\":null,\"is_init\":false,\"datetime\":\"2025-08-01T00:00:00Z\"}";

    private static readonly string[] ErrorNames = ["", "absent", "forbidden", "i_am_leader", "out_of_storage_gas"];

    private static byte[] Request(string name, CalldataValue payload) => CalldataCodec.Encode(FromMap((name, payload)));

    private static bool IsSlot33(TestHostRequest r) => r.Fields.Any(f => f.Key == "slot" && f.Value.SequenceEqual(Slot33));

    /// <summary>A contract step that makes the executor issue <paramref name="method"/>, and which request of that method to fail.</summary>
    private static (WireContract Contract, Func<TestHostRequest, bool> Target) Trigger(HostMethod method) => method switch
    {
        HostMethod.StorageRead => (new WireContract().StorageRead(Slot33, 0, 4), IsSlot33),
        HostMethod.StorageWrite => (new WireContract().StorageWrite(Slot33, 0, [1]), _ => true),
        HostMethod.GetLeaderNondetResult or HostMethod.PostNondetResult =>
            (new WireContract().GlCall(Request("RunNondet", FromMap(("data_leader", new byte[] { 0x10 }), ("data_validator", new byte[] { 0x10 })))), _ => true),
        HostMethod.PostMessage => (new WireContract().GlCall(Request("PostMessage", FromMap(("address", A3), ("calldata", EmptyMap), ("value", 0), ("on", "accepted")))), _ => true),
        HostMethod.PostEvent => (new WireContract().GlCall(Request("EmitEvent", FromMap(("topics", FromArray()), ("blob", EmptyMap)))), _ => true),
        HostMethod.DeployContract => (new WireContract().GlCall(Request("DeployContract", FromMap(("calldata", EmptyMap), ("code", new byte[] { 1 }), ("value", 0), ("on", "finalized"), ("salt_nonce", 0)))), _ => true),
        HostMethod.EthCall => (new WireContract().GlCall(Request("EthCall", FromMap(("address", A3), ("calldata", new byte[] { 1 })))), _ => true),
        HostMethod.EthSend => (new WireContract().GlCall(Request("EthSend", FromMap(("address", A3), ("calldata", new byte[] { 1 }), ("value", 0)))), _ => true),
        HostMethod.GetBalance => (new WireContract().GetBalance(A3.ToArray()), _ => true),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    private static IEnumerable<TestCaseData> ContractMethodErrors()
    {
        HostMethod[] methods =
        [
            HostMethod.StorageRead, HostMethod.StorageWrite, HostMethod.PostNondetResult, HostMethod.PostMessage, HostMethod.PostEvent,
            HostMethod.DeployContract, HostMethod.EthCall, HostMethod.EthSend, HostMethod.GetBalance,
        ];
        foreach (var method in methods)
        {
            foreach (var error in new byte[] { 1, 2, 3, 4 })
            {
                yield return new TestCaseData(method, error).SetArgDisplayNames(method.ToString(), ErrorNames[error]);
            }
        }

        // §8.2: i_am_leader is the leader-mode answer here, so only the other three codes are errors.
        foreach (var error in new byte[] { 1, 2, 4 })
        {
            yield return new TestCaseData(HostMethod.GetLeaderNondetResult, error).SetArgDisplayNames(nameof(HostMethod.GetLeaderNondetResult), ErrorNames[error]);
        }
    }

    private static async Task<ContractRun> RunAsync(byte[] code, Func<TestHostRequest, byte[]?> answer, string? message = null)
    {
        var node = new TestNode { ContractHex = ContractRun.ContractHex, Calldata = [0x06], Override = answer };
        ContractRun.DeployAt(node, ContractRun.ContractHex, code);
        return await new ContractRun { Node = node, Message = message ?? ContractRun.MessageJson }.RunAsync();
    }

    private static void AssertVmError(ContractRun run, string message)
    {
        Assert.That(run.ExitCode, Is.Zero, Encoding.UTF8.GetString(run.Stderr.ToArray()));
        Assert.That(run.ResultLine, Is.EqualTo($"executed with `VMError(\"{message}\")`"));
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.VmError));
        var map = CalldataCodec.Decode(run.Node.Result.AsSpan(1)).AsMap();
        Assert.That(map["message"].AsString(), Is.EqualTo(message));
    }

    [TestCaseSource(nameof(ContractMethodErrors))]
    public async Task Run_HostAnswersErrorCode_IsVmErrorNamedAfterIt(HostMethod method, byte error)
    {
        var (contract, target) = Trigger(method);
        var code = WasmSections.WithVersion(contract.Compile(), "v0.1.10");

        var run = await RunAsync(code, r => r.Method == (byte)method && target(r) ? [error] : null, Message2025);

        AssertVmError(run, ErrorNames[error]);
        Assert.That(run.Node.Transcript[^1].Method, Is.EqualTo((byte)HostMethod.ConsumeResult));
    }

    // §7.1 steps 2-4 happen before any VM: an error there is the result, with an empty fingerprint (§7.4).
    [TestCase(HostMethod.StorageRead, 0, TestName = "Run_ErrorOnUpgraderCount_IsVmError")]
    [TestCase(HostMethod.StorageRead, 1, TestName = "Run_ErrorOnLockedCount_IsVmError")]
    [TestCase(HostMethod.GetCalldata, 0, TestName = "Run_ErrorOnGetCalldata_IsVmError")]
    [TestCase(HostMethod.StorageRead, 3, TestName = "Run_ErrorOnCodeLength_IsVmError")]
    [TestCase(HostMethod.StorageRead, 4, TestName = "Run_ErrorOnCode_IsVmError")]
    public async Task Run_ErrorBeforeTheVm_IsVmErrorWithEmptyFingerprint(HostMethod method, int nth)
    {
        var seen = 0;

        var run = await RunAsync(new WireContract().Compile(), r => r.Method == (byte)method && seen++ == nth ? [4] : null);

        AssertVmError(run, "out_of_storage_gas");
        var fingerprint = CalldataCodec.Decode(run.Node.Result.AsSpan(1)).AsMap()["fingerprint"].AsMap();
        Assert.That(fingerprint["frames"].AsArray(), Is.Empty);
        Assert.That(fingerprint["module_instances"].AsMap(), Is.Empty);
    }

    [Test]
    public async Task Run_ErrorOnRemainingFuelAsGen_IsVmErrorOfTheLeaderAndTheCaller()
    {
        var prompt = SubVmContract.Request("ExecPrompt", FromMap(("prompt", "p"), ("images", FromArray())));
        var contract = new SubVmContract
        {
            MainRequest = SubVmContract.Request("RunNondet", FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 }))),
            Leaf = SubVmContract.ReturnLeafRequestFile,
            LeafRequest = prompt,
        };
        var node = new TestNode { ContractHex = ContractRun.ContractHex, Override = r => r.Method == (byte)HostMethod.RemainingFuelAsGen ? [2] : null };
        ContractRun.DeployAt(node, ContractRun.ContractHex, contract.Compile());

        var run = await new ContractRun { Node = node, Llm = new FakeLlmModule() }.RunAsync();

        // §8.2: the leader's VMError is posted and then aborts the caller with the same message.
        AssertVmError(run, "forbidden");
        var post = run.Node.Transcript.Single(r => r.Method == (byte)HostMethod.PostNondetResult);
        Assert.That(Convert.ToHexStringLower(post.Field("result")), Is.EqualTo("02" + Convert.ToHexStringLower("forbidden"u8)));
    }

    // §4: an error id outside 0-4 is an internal error: 02 + raw UTF-8 text, printed as InternalError("") (calldata.md §9.1).
    [TestCase((byte)5)]
    [TestCase((byte)0xff)]
    public async Task Run_UnknownErrorId_IsInternalError(byte error)
    {
        var run = await RunAsync(new WireContract().StorageRead(Slot33, 0, 4).Compile(), r => r.Method == 1 && IsSlot33(r) ? [error] : null);

        Assert.That(run.ExitCode, Is.Zero, Encoding.UTF8.GetString(run.Stderr.ToArray()));
        Assert.That(run.ResultLine, Is.EqualTo("executed with `InternalError(\"\")`"));
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.VmError));
        Assert.That(Encoding.UTF8.GetString(run.Node.Result.AsSpan(1)), Does.Contain($"invalid error id {error}"));
    }
}
