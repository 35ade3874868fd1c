using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;
using GenVm.Host.Verbs;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// Bad input to <c>genvm run</c>: malformed message JSON, malformed calldata in requests, a host that disconnects
/// mid-run or sends oversized answers, and bad guest pointers. Each ends with a clear error and the right result
/// code, never a hang (every run is bounded by <see cref="ContractRun"/>'s guard).
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class RunBadInputTests
{
    private static readonly byte[] Slot33 = Enumerable.Repeat((byte)0x33, 32).ToArray();

    private static readonly string PostMessageRequest = string.Concat(CalldataCodec.Encode(CalldataValue.FromMap(("PostMessage", CalldataValue.FromMap(
        ("address", new Address(Convert.FromHexString("0300000000000000000000000000000000000000"))),
        ("calldata", CalldataValue.Decode([0x06])),
        ("on", "accepted"),
        ("value", 0))))).Select(b => $"\\{b:x2}"));

    private static string Stderr(ContractRun run) => Encoding.UTF8.GetString(run.Stderr.ToArray());

    private static async Task<ContractRun> RunAsync(WireContract contract, Func<TestHostRequest, byte[]?>? answer = null, Func<TestHostRequest, bool>? disconnectAt = null, byte[]? partial = null)
    {
        var node = new TestNode { ContractHex = ContractRun.ContractHex, Calldata = [0x06], Override = answer, DisconnectAt = disconnectAt, PartialBeforeDisconnect = partial ?? [] };
        ContractRun.DeployAt(node, ContractRun.ContractHex, contract.Compile());
        return await new ContractRun { Node = node }.RunAsync();
    }

    // host-protocol.md §1.2, §10: a bad message is a setup failure: exit 2 before the socket is touched
    // (the host address does not exist, so reaching the connect would exit 1).
    [TestCase("{", TestName = "Run_MessageNotJson_ExitsTwo")]
    [TestCase("[]", TestName = "Run_MessageNotAnObject_ExitsTwo")]
    [TestCase("{}", TestName = "Run_MessageEmpty_ExitsTwo")]
    [TestCase("{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"is_init\":false}", TestName = "Run_MessageWithoutSender_ExitsTwo")]
    [TestCase("{\"contract_address\":\"not base64!\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"is_init\":false}", TestName = "Run_MessageAddressNotBase64_ExitsTwo")]
    [TestCase("{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAA==\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"is_init\":false}", TestName = "Run_MessageAddressOf19Bytes_ExitsTwo")]
    [TestCase("{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0x1\",\"is_init\":false}", TestName = "Run_MessageChainIdNotDecimal_ExitsTwo")]
    [TestCase("{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"is_init\":\"no\"}", TestName = "Run_MessageIsInitNotBool_ExitsTwo")]
    [TestCase("{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"value\":-1,\"is_init\":false}", TestName = "Run_MessageNegativeValue_ExitsTwo")]
    [TestCase("{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"is_init\":false,\"datetime\":\"yesterday\"}", TestName = "Run_MessageBadDatetime_ExitsTwo")]
    public async Task Run_MalformedMessage_ExitsTwoBeforeConnecting(string message)
    {
        var stderr = new MemoryStream();
        var verb = new RunVerb(() => new MemoryStream(), () => stderr);

        var code = await verb.RunCoreAsync(["--host", "unix:///nonexistent/genvm-wire.sock", "--message", message], CancellationToken.None).Guarded();

        Assert.That(code, Is.EqualTo(2));
        Assert.That(Encoding.UTF8.GetString(stderr.ToArray()), Does.StartWith("genvm run: bad --message"));
    }

    // wasm-abi.md §4: a request that is not one canonical calldata value (calldata.md §8 rejected inputs), or has the
    // wrong shape, answers inval (2) and the contract goes on.
    [TestCase("8000", TestName = "GlCall_NonCanonicalUleb_IsInval")]
    [TestCase("07", TestName = "GlCall_Type7_IsInval")]
    [TestCase("0000", TestName = "GlCall_TrailingData_IsInval")]
    [TestCase("16016200016100", TestName = "GlCall_MapKeysOutOfOrder_IsInval")]
    [TestCase("0e065265747572", TestName = "GlCall_TruncatedKey_IsInval")]
    [TestCase("0e0652657475726e0cff", TestName = "GlCall_ReturnOfInvalidUtf8_IsInval")]
    [TestCase("0e0652657475726e1801", TestName = "GlCall_ReturnOfTruncatedAddress_IsInval")]
    [TestCase("0e044e6f706500", TestName = "GlCall_UnknownVariant_IsInval")]
    [TestCase("160652657475726e00015a00", TestName = "GlCall_TwoTopLevelKeys_IsInval")]
    [TestCase("0e0753616e64626f780e0f616c6c6f775f77726974655f6f707308", TestName = "GlCall_SandboxMissingField_IsInval")]
    [TestCase("0e0753616e64626f781e0f616c6c6f775f77726974655f6f70730804646174610305657874726101", TestName = "GlCall_SandboxUnknownField_IsInval")]
    [TestCase("0e0852756e4e6f6e646574160b646174615f6c6561646572040e646174615f76616c696461746f7203", TestName = "GlCall_RunNondetStrInsteadOfBytes_IsInval")]
    [TestCase("0e08526f6c6c6261636b09", TestName = "GlCall_RollbackOfNumber_IsInval")]
    public async Task GlCall_BadCalldata_IsInval(string requestHex)
    {
        var run = await RunAsync(new WireContract().GlCallHex(requestHex).GlCallHex(requestHex));

        // Both attempts answered inval; the VM then returned Bytes(02 02).
        Assert.That(Convert.ToHexStringLower(run.Node.Result!), Is.EqualTo("00130202"), Stderr(run));
    }

    [Test]
    public async Task Run_HostDisconnectsInsteadOfCalldata_ExitsOneWithoutHanging()
    {
        var run = await RunAsync(new WireContract(), disconnectAt: r => r.Method == (byte)HostMethod.GetCalldata);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(Stderr(run), Does.StartWith("genvm run: ").And.Contain("HostProtocolException"));
    }

    [Test]
    public async Task Run_HostDisconnectsMidCodeAnswer_ExitsOneWithoutHanging()
    {
        var seenCode = 0;
        var run = await RunAsync(
            new WireContract(),
            disconnectAt: r => r.Method == 1 && r.Field("slot").SequenceEqual(Convert.FromHexString(SlotId.Code)) && seenCode++ == 1,
            partial: [0x00, 0x00, 0x61, 0x73]);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(Stderr(run), Does.StartWith("genvm run: "));
    }

    [Test]
    public async Task Run_HostDisconnectsDuringContractRead_ExitsOneWithoutHanging()
    {
        var run = await RunAsync(new WireContract().StorageRead(Slot33, 0, 4), disconnectAt: r => r.Method == 1 && r.Field("slot").SequenceEqual(Slot33));

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(Stderr(run), Does.StartWith("genvm run: "));
    }

    [Test]
    public async Task Run_HostDisconnectsBeforeAck_ExitsOne()
    {
        var run = await RunAsync(new WireContract(), disconnectAt: r => r.Method == (byte)HostMethod.ConsumeResult);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(Stderr(run), Does.StartWith("genvm run: "));
    }

    // An answer claiming 4 GiB of calldata: the executor must neither wait for it nor allocate it.
    [Test]
    public async Task Run_OversizedCalldataAnswer_FailsWithoutWaiting()
    {
        var run = await RunAsync(new WireContract(), answer: r => r.Method == (byte)HostMethod.GetCalldata ? [0x00, 0xff, 0xff, 0xff, 0xff] : null);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(Stderr(run), Does.Contain("HostProtocolException"));
    }

    // A stored code length of 4 GiB − 16: refused before a read of that size is sent.
    [Test]
    public async Task Run_OversizedCodeLength_IsAnErrorWithoutTheRead()
    {
        var codeSlot = Convert.FromHexString(SlotId.Code);
        var run = await RunAsync(new WireContract(), answer: r => r.Method == 1 && r.Field("slot").SequenceEqual(codeSlot) ? [0x00, 0xf0, 0xff, 0xff, 0xff] : null);

        Assert.That(run.Node.Transcript.Count(r => r.Method == 1 && r.Field("slot").SequenceEqual(codeSlot)), Is.EqualTo(1));
        Assert.That(run.Node.Result, Is.Not.Null, Stderr(run));
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.VmError));
    }

    // wasm-abi.md §2: bad guest pointers abort the VM as an internal error: 02 + raw text (host-protocol.md §7.3),
    // printed as InternalError("") (calldata.md §9.1); no host request is made for the failing call.
    // The discovery reads, get_calldata and the code reads come first: methods 1 1 1 0 1 1; then what the call sent.
    [TestCase("(call $storage_read (i32.const 0x3fff0) (i32.const 0) (i32.const 8192) (i32.const 4))", "", TestName = "StorageRead_SlotOutOfBounds_IsInternalError")]
    [TestCase("(call $storage_read (i32.const 1048) (i32.const 0) (i32.const 0x3fffe) (i32.const 4))", "", TestName = "StorageRead_BufferOutOfBounds_IsInternalError")]
    [TestCase("(call $storage_read (i32.const 1048) (i32.const 0) (i32.const 0) (i32.const 0x7fffffff))", "", TestName = "StorageRead_OversizedLength_IsInternalError")]
    [TestCase("(call $storage_write (i32.const 1048) (i32.const 0) (i32.const -8) (i32.const 16))", "", TestName = "StorageWrite_DataWrapsAround_IsInternalError")]
    [TestCase("(call $get_balance (i32.const 0x40000) (i32.const 8192))", "", TestName = "GetBalance_AddressOutOfBounds_IsInternalError")]
    [TestCase("(call $get_self_balance (i32.const 0x3fff0))", "12", TestName = "GetSelfBalance_ResultOutOfBounds_IsInternalError")]
    [TestCase("(call $gl_call (i32.const 0x3ffff) (i32.const 2) (i32.const 1040))", "", TestName = "GlCall_RequestOutOfBounds_IsInternalError")]
    [TestCase("(call $gl_call (i32.const 3000) (i32.const 72) (i32.const 0x40000))", "6", TestName = "GlCall_FdOutOfBounds_IsInternalError")]
    [TestCase("(call $gl_call (i32.const 3000) (i32.const 72) (i32.const 1041))", "6", TestName = "GlCall_FdMisaligned_IsInternalError")]
    public async Task HostCall_BadGuestPointer_IsInternalError(string call, string sent)
    {
        // At 3000: {"PostMessage": {address: 03 00…, calldata: {}, on: "accepted", value: 0}} (72 octets).
        var contract = new WireContract { ExtraFields = $"\n  (data (i32.const 3000) \"{PostMessageRequest}\")" }.Raw($"(call $errno {call})");

        var run = await RunAsync(contract);

        Assert.That(run.ExitCode, Is.Zero, Stderr(run));
        Assert.That(run.ResultLine, Is.EqualTo("executed with `InternalError(\"\")`"));
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.VmError));
        Assert.That(CalldataCodec.TryDecode(run.Node.Result.AsSpan(1), out _, out _), Is.False, "an internal error is raw text, not calldata");
        Assert.That(Stderr(run), Does.Contain("guest"));
        var methods = string.Join(" ", run.Node.Transcript.Select(r => r.Method));
        Assert.That(methods, Is.EqualTo(("1 1 1 0 1 1 " + sent).Trim() + " 3"));
    }
}
