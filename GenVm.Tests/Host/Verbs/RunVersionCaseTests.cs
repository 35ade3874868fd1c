using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// testdata.md §9 <c>stable/exploits/version</c> (raw WAT): a wasm contract's <c>genvm.version</c> custom section
/// (runners.md §2) is gated by the transaction datetime (runners.md §3) and then gates <c>gl_call</c> kinds
/// (wasm-abi.md §15). The other raw-WAT cases of that directory (<c>flt</c>, <c>inf-loop</c>, <c>rec</c>,
/// <c>rec_1023</c>, <c>rec_1024</c>, <c>rec_tail</c>, <c>unreachable</c>) are in <see cref="TransactionSupervisorTests"/>.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class RunVersionCaseTests
{
    private static string Message(string? datetime) =>
        "{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"value\":null,\"is_init\":false"
        + (datetime is null ? string.Empty : $",\"datetime\":\"{datetime}\"") + "}";

    // Trace {"Message": "v"} then EmitEvent {topics: [], blob: {}}: their errnos, as Bytes.
    private static readonly WireContract Gated = new WireContract()
        .GlCallHex("0e055472616365 0e074d657373616765 0c76")
        .GlCallHex("0e09456d69744576656e74 16 04626c6f62 06 06746f70696373 05");

    private static async Task<ContractRun> RunAsync(string? version, string? datetime)
    {
        var code = Gated.Compile();
        if (version is not null)
        {
            code = WasmSections.WithVersion(code, version);
        }

        var node = new TestNode { ContractHex = ContractRun.ContractHex };
        ContractRun.DeployAt(node, ContractRun.ContractHex, code);
        return await new ContractRun { Node = node, Message = Message(datetime) }.RunAsync();
    }

    // runners.md §3 table: the default datetime (2024-11-26) allows v0.1.0 only; 2025-07-01T09:00:00Z allows v0.1.3;
    // from 2025-07-10T11:56:59Z v0.1.10 (and, docs/decisions.md, the v0.2 line).
    [TestCase("v0.1.10", null, "executed with `VMError(\"version_too_big\")`", TestName = "Run_V0110AtDefaultDatetime_IsVersionTooBig")]
    [TestCase("v0.1.1", null, "executed with `VMError(\"version_too_big\")`", TestName = "Run_V011AtDefaultDatetime_IsVersionTooBig")]
    [TestCase("v0.1.4", "2025-07-01T09:00:00Z", "executed with `VMError(\"version_too_big\")`", TestName = "Run_V014OnTheV013Row_IsVersionTooBig")]
    [TestCase("v0.3.0", "2025-08-01T00:00:00Z", "executed with `VMError(\"version_too_big\")`", TestName = "Run_V030_IsVersionTooBig")]
    [TestCase("v0.0.0", "2025-08-01T00:00:00Z", "executed with `VMError(\"invalid_contract\")`", TestName = "Run_V000_IsInvalidContract")]
    [TestCase("v0.1", "2025-08-01T00:00:00Z", "executed with `VMError(\"invalid_contract\")`", TestName = "Run_TwoPartVersion_IsInvalidContract")]
    public async Task Run_VersionRejected_PrintsExactly(string version, string? datetime, string expected)
    {
        var run = await RunAsync(version, datetime);

        Assert.That(run.Stdout.Text(), Is.EqualTo(expected + "\n"));
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)GenVm.Core.Protocol.ResultCode.VmError));
    }

    // wasm-abi.md §15: Trace needs v0.1.10, EmitEvent v0.1.5; below that each answers inval (2).
    [TestCase(null, null, "executed with `Return(\"\\x13\\x02\\x02\")`", TestName = "Run_NoVersionSection_IsV010AndGatesBoth")]
    [TestCase("v0.1.0", null, "executed with `Return(\"\\x13\\x02\\x02\")`", TestName = "Run_V010AtDefaultDatetime_GatesBoth")]
    [TestCase("v0.1.6", "2025-07-10T11:56:59Z", "executed with `Return(\"\\x13\\x02\\x00\")`", TestName = "Run_V016_AllowsEventsOnly")]
    // The reference answers version_too_big here; we accept up to the v0.2 line from the last row on (docs/decisions.md).
    [TestCase("v0.1.11", "2025-08-01T00:00:00Z", "executed with `Return(\"\\x13\\x00\\x00\")`", TestName = "Run_V0111AfterLastRow_IsAcceptedByDecision")]
    [TestCase("  v0.1.10 ", "2025-07-10T11:56:59Z", "executed with `Return(\"\\x13\\x00\\x00\")`", TestName = "Run_V0110AtTheLastRow_AllowsBoth")]
    public async Task Run_VersionAccepted_GatesGlCallKinds(string? version, string? datetime, string expected)
    {
        var run = await RunAsync(version, datetime);

        Assert.That(run.Stdout.Text(), Is.EqualTo(expected + "\n"));
    }
}
