using GenVm.Core.Calldata;
using NUnit.Framework;
using static GenVm.Core.Calldata.CalldataValue;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// Golden transcripts (<c>Transcripts/*.wire</c>, written from host-protocol.md) replayed against the real
/// <c>genvm run</c> over a Unix socket: every octet the executor sends must match, in order.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class RunWireTranscriptTests
{
    /// <summary>Contract 0x03 00… of the transcripts.</summary>
    private static readonly Address A3 = new(Convert.FromHexString("0300000000000000000000000000000000000000"));

    // {} (calldata.md §8 example 16).
    private static readonly CalldataValue EmptyMap = Decode([0x06]);

    private const string Message2025 =
        "{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"value\":null,\"is_init\":false,\"datetime\":\"2025-08-01T00:00:00Z\"}";

    private static Dictionary<string, byte[]> Code(byte[] code, byte[]? callee = null)
    {
        var values = new Dictionary<string, byte[]> { ["code"] = code };
        if (callee is not null)
        {
            values["callee"] = callee;
        }

        return values;
    }

    private static byte[] Request(string name, CalldataValue payload) => CalldataCodec.Encode(FromMap((name, payload)));

    [Test]
    public async Task Run_PlainExit_MatchesGoldenTranscript()
    {
        var replay = await WireReplay.RunAsync(WireTranscript.Load("plain-exit.wire"));

        Assert.That(replay.ExitCode, Is.Zero);
        Assert.That(replay.Stdout, Is.EqualTo("executed with `Return(\"\\x00\")`\n"));
    }

    [Test]
    public async Task Run_SenderIsUpgrader_StopsDiscoveryBeforeLockedSlots()
    {
        var replay = await WireReplay.RunAsync(WireTranscript.Load("upgrader-sender.wire"));

        Assert.That(replay.ExitCode, Is.Zero);
        Assert.That(replay.Stdout, Is.EqualTo("executed with `Return(\"\\x00\")`\n"));
    }

    [Test]
    public async Task Run_LockedSlots_WritesRefusedInsideTheVm()
    {
        var slot = (byte b) => Enumerable.Repeat(b, 32).ToArray();
        var contract = new WireContract()
            .StorageWrite(Convert.FromHexString(GenVm.Core.Protocol.SlotId.Code), 0, "x"u8.ToArray())
            .StorageWrite(slot(0x22), 3, "ab"u8.ToArray())
            .StorageRead(slot(0x22), 0, 5)
            .StorageWrite(slot(0x11), 0, "x"u8.ToArray());

        var replay = await WireReplay.RunAsync(WireTranscript.Load("locked-slots.wire", Code(contract.Compile())));

        Assert.That(replay.Stdout, Is.EqualTo("executed with `Return(\"K\\x06\\x00\\x00\\x00\\x00\\x00ab\\x06\")`\n"));
    }

    [Test]
    public async Task Run_OutgoingMethods_MatchGoldenTranscript()
    {
        var topic = (byte b) => Enumerable.Repeat(b, 32).ToArray();
        var contract = new WireContract()
            .GlCall(Request("PostMessage", FromMap(("address", A3), ("calldata", EmptyMap), ("value", 5), ("on", "finalized"))))
            .GlCall(Request("DeployContract", FromMap(("calldata", FromMap(("x", 10))), ("code", new byte[] { 0x00, 0x61, 0x73, 0x6d }), ("value", 0), ("on", "accepted"), ("salt_nonce", 7))))
            .GlCall(Request("EthSend", FromMap(("address", A3), ("calldata", new byte[] { 0xab, 0xcd }), ("value", 16))))
            .GlCall(Request("EthCall", FromMap(("address", A3), ("calldata", new byte[] { 0x01 }))))
            .GlCall(Request("EmitEvent", FromMap(("topics", FromArray(topic(0xaa), topic(0xbb))), ("blob", FromMap(("k", 1))))))
            .GlCall(Request("Trace", FromMap(("Message", "hi"))))
            .GlCall(Request("Trace", "RuntimeMicroSec"))
            .GetBalance(A3.ToArray())
            .GetBalance(A3.ToArray())
            .GetSelfBalance()
            .GlCall(Request("PostMessage", FromMap(("address", A3), ("calldata", EmptyMap), ("value", 200), ("on", "finalized"))))
            .GlCall(Request("CallContract", FromMap(("address", A3), ("calldata", FromMap(("x", 10))), ("state", 0))))
            .GlCall(Request("CallContract", FromMap(("address", A3), ("calldata", FromMap(("x", 10))), ("state", 1))))
            .GlCall(Request("Sandbox", FromMap(("data", new byte[] { 0x14, 0x6f, 0x6b }), ("allow_write_ops", false))));
        var code = WasmSections.WithVersion(contract.Compile(), "v0.1.10");
        var callee = new WireContract().Compile();

        var replay = await WireReplay.RunAsync(WireTranscript.Load("outgoing.wire", Code(code, callee)), Message2025);

        Assert.That(replay.ExitCode, Is.Zero);
        Assert.That(replay.Stdout, Does.StartWith("executed with `Return(\"\\83\\x08\\x00\\x00\\x00\\x00"));
    }

    [Test]
    public async Task Run_NondetCalls_NumberedAndDisagreementNotifiedBeforeTheResult()
    {
        var runNondet = (byte[] leader, byte[] validator) => Request("RunNondet", FromMap(("data_leader", leader), ("data_validator", validator)));
        var contract = new WireContract()
            .GlCall(runNondet([0x14, 0x6f, 0x6b], [0x10]))
            .GlCall(runNondet([], [0x10]))
            .GlCall(runNondet([], [0x08]))
            .GlCall(runNondet([], [0x08]));

        var replay = await WireReplay.RunAsync(WireTranscript.Load("nondet.wire", Code(contract.Compile())));

        Assert.That(replay.Stdout, Is.EqualTo("executed with `Return(\"{\\x00\\x00\\x14ok\\x00\\x01no\\x00\\x00\\x09\\x00\\x00\\x11\")`\nnondet disagreement: 2\n"));
    }

    [Test]
    public async Task Run_CallContract_ReadsCalleeCodeAndStorageWithTheRequestedType()
    {
        var slot = Enumerable.Repeat((byte)0x44, 32).ToArray();
        var caller = new WireContract()
            .GlCall(Request("CallContract", FromMap(("address", A3), ("calldata", EmptyMap), ("state", 1))))
            .GlCall(Request("CallContract", FromMap(("address", A3), ("calldata", EmptyMap), ("state", 2))));
        var callee = new WireContract().StorageRead(slot, 0, 2).StorageWrite(slot, 0, [0x7a]).GetSelfBalance();

        var replay = await WireReplay.RunAsync(WireTranscript.Load("call-contract.wire", Code(caller.Compile(), callee.Compile())));

        Assert.That(replay.ExitCode, Is.Zero);
        Assert.That(replay.Stdout, Does.StartWith("executed with `Return(\"\\93\\x05\\x00\\x00\\ab\\x02\\x00\\ab\\cd\\x06"));
    }

    [Test]
    public async Task Run_LlmInLeader_AsksRemainingFuelThenConsumesIt()
    {
        var contract = new GenVm.Tests.Core.Supervisor.SubVmContract
        {
            MainRequest = FromMap(("RunNondet", FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 })))),
            Leaf = GenVm.Tests.Core.Supervisor.SubVmContract.ReturnLeafRequestFile,
            LeafRequest = FromMap(("ExecPrompt", FromMap(("prompt", "p"), ("images", FromArray())))),
        };
        var llm = new GenVm.Tests.Core.Supervisor.FakeLlmModule();

        var replay = await WireReplay.RunAsync(WireTranscript.Load("llm-fuel.wire", Code(contract.Compile())), null, llm);

        Assert.That(replay.ExitCode, Is.Zero);
        Assert.That(llm.Requests.Single().Fuel, Is.EqualTo(1000UL));
    }

    /// <summary>
    /// get_balance(A3), RunNondet("ok", <paramref name="validatorData"/>) and, when <paramref name="balanceAfter"/>,
    /// get_balance(A4) in the top-level VM; get_balance(A3), get_balance(A4), storage_read, get_self_balance,
    /// ExecPrompt and get_balance(A4) in every sub-VM (the nondet-*-host transcripts).
    /// </summary>
    private static byte[] NondetHostCallsContract(byte validatorData, bool balanceAfter)
    {
        var a4 = Convert.FromHexString("0400000000000000000000000000000000000000");
        var contract = new WireContract()
            .GetBalance(A3.ToArray())
            .GlCall(Request("RunNondet", FromMap(("data_leader", new byte[] { 0x14, 0x6f, 0x6b }), ("data_validator", new[] { validatorData }))));
        if (balanceAfter)
        {
            contract.GetBalance(a4);
        }

        contract.InSubVms()
            .GetBalance(A3.ToArray())
            .GetBalance(a4)
            .StorageRead(Enumerable.Repeat((byte)0x44, 32).ToArray(), 0, 2)
            .GetSelfBalance()
            .GlCall(Request("ExecPrompt", FromMap(("prompt", "p"), ("images", FromArray()))))
            .GetBalance(a4);
        return contract.Compile();
    }

    [Test]
    public async Task Run_LeaderMakesHostCalls_RunsBeforeThePostAndSharesTheBalanceCache()
    {
        var llm = new GenVm.Tests.Core.Supervisor.FakeLlmModule();

        var replay = await WireReplay.RunAsync(WireTranscript.Load("nondet-leader-host.wire", Code(NondetHostCallsContract(0x10, balanceAfter: true))), null, llm);

        Assert.That(replay.ExitCode, Is.Zero);
        Assert.That(llm.Requests.Select(r => r.Fuel), Is.EqualTo(new[] { 1000UL }));
    }

    [TestCase("nondet-validator-host-agree.wire", (byte)0x10, "")]
    [TestCase("nondet-validator-host-disagree.wire", (byte)0x08, "nondet disagreement: 0\n")]
    public async Task Run_ValidatorMakesHostCalls_CallsComeAfterTheLeaderResultAndBeforeTheVerdict(string name, byte validatorData, string disagreement)
    {
        var llm = new GenVm.Tests.Core.Supervisor.FakeLlmModule();

        var replay = await WireReplay.RunAsync(WireTranscript.Load(name, Code(NondetHostCallsContract(validatorData, balanceAfter: false))), null, llm);

        Assert.That(replay.ExitCode, Is.Zero);
        Assert.That(llm.Requests.Select(r => r.Fuel), Is.EqualTo(new[] { 1000UL }));
        Assert.That(replay.Stdout, Does.EndWith("`\n" + disagreement));
    }

    [Test]
    public void Parse_LengthAndNames_ExpandAsWritten()
    {
        var transcript = WireTranscript.Parse("t", "= A 0102 # two\n> 03 {len:A} {A} # request\n< ff\n", null);

        Assert.That(transcript.Steps, Has.Count.EqualTo(2));
        Assert.That(Convert.ToHexStringLower(transcript.Steps[0].Octets), Is.EqualTo("03020000000102"));
        Assert.That(transcript.Steps[0].FromExecutor, Is.True);
        Assert.That(transcript.Steps[1].Comment, Is.Empty);
    }

    [Test]
    public void Parse_UndefinedName_Throws()
        => Assert.That(() => WireTranscript.Parse("t", "> {B}\n", null), Throws.TypeOf<FormatException>().With.Message.Contains("{B}"));
}
