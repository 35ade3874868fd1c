using System.Numerics;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Core.Protocol;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;
using static GenVm.Core.Calldata.CalldataValue;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// <c>CContracts/all_methods.c</c>, a freestanding C contract built with clang-19 (no libc), run by <c>genvm run</c>
/// over a Unix socket against <see cref="TestNode"/>: every <c>genlayer_sdk</c> function, every <c>gl_call</c> kind
/// (web and LLM ones in nondet leaders), both nondet flows, and the SDK errnos it can provoke (wasm-abi.md §3, §4).
/// </summary>
[TestFixture]
[Category("Toolchain")]
[Category("Executor")]
public sealed class RunCContractTests
{
    private const string CalleeHex = "0300000000000000000000000000000000000000";

    private const string Message2025 =
        "{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"value\":null,\"is_init\":false,\"datetime\":\"2025-08-01T00:00:00Z\"}";

    private static readonly Lazy<byte[]> Code = new(() =>
    {
        var source = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "GenVm.Tests", "Host", "Verbs", "CContracts", "all_methods.c"));
        var wasm = File.ReadAllBytes(WasmVerbToolchain.Compile("all_methods", source, WasmVerbToolchain.FreestandingFlags, []));

        // runners.md §2: a raw wasm contract's version comes from its genvm.version section (Trace needs v0.1.10).
        return WasmSections.WithVersion(wasm, "v0.1.10");
    });

    private static byte[] U256(BigInteger value)
    {
        var octets = new byte[32];
        value.TryWriteBytes(octets, out _, isUnsigned: true, isBigEndian: false);
        return octets;
    }

    private static byte[] Encode(CalldataValue value) => CalldataCodec.Encode(value);

    private static async Task<ContractRun> RunAsync(CalldataValue command, FakeLlmModule? llm = null, FakeWebModule? web = null)
    {
        var node = new TestNode
        {
            ContractHex = ContractRun.ContractHex,
            Calldata = Encode(command),
            EthCallResult = [0xee],

            // host-protocol.md §8.2: calls 0-4 run as leader; the host holds leader results for 5 (Return true) and 6 (Return 1).
            Override = r => r.Method != (byte)HostMethod.GetLeaderNondetResult
                ? null
                : BitConverter.ToUInt32(r.Field("call_no")) switch
                {
                    < 5 => [3],
                    5 => [0, 2, 0, 0, 0, 0x00, 0x10],
                    _ => [0, 2, 0, 0, 0, 0x00, 0x09],
                },
        };
        node.Balances[ContractRun.ContractHex] = 100;
        node.Balances[CalleeHex] = 7;
        ContractRun.DeployAt(node, ContractRun.ContractHex, Code.Value);
        ContractRun.DeployAt(node, CalleeHex, Code.Value);
        return await new ContractRun { Node = node, Message = Message2025, Llm = llm, Web = web }.RunAsync();
    }

    [Test]
    public async Task Run_CScript_CallsEveryHostFunctionAndGlCallKind()
    {
        var llm = new FakeLlmModule { Answer = p => ModuleAnswer<LlmAnswer>.Ok(new LlmAnswer(p is LlmTemplatePayload ? true : "hi", 7)) };
        var web = new FakeWebModule();

        var run = await RunAsync("script", llm, web);

        Assert.That(run.Lines, Has.Length.EqualTo(3), Encoding.UTF8.GetString(run.Stderr.ToArray()));
        Assert.That(run.Lines[0], Is.EqualTo("c contract: script done"), Encoding.UTF8.GetString(run.Stderr.ToArray()));
        Assert.That(run.Lines[^1], Is.EqualTo("nondet disagreement: 6"));

        // A leader VM returns Bytes(answer file); the caller's result file is 00 + that calldata (wasm-abi.md §4.2, §4.3).
        byte[] Leader(CalldataValue answer) => [0x00, 0x00, .. Encode(Encode(answer))];
        byte[] expected =
        [
            0x00,                                                        // storage_write(A, 0, "hello")
            0x00, .. "ello"u8,                                           // storage_read(A, 1, 4)
            0x00, .. U256(7),                                            // get_balance(03 00…)
            0x00, .. U256(100),                                          // get_self_balance, nothing committed yet
            0x02,                                                        // storage_read past 2^32: inval
            0x00,                                                        // PostMessage value 5
            0x00,                                                        // DeployContract
            0x00,                                                        // EthSend
            0x00, 0xee,                                                  // EthCall: the raw answer
            0x00,                                                        // EmitEvent
            0x00,                                                        // Trace Message
            0x00, 0x01,                                                  // Trace RuntimeMicroSec: Number 0 in a det VM
            0x00, 0x00, .. Encode(Encode("hi")),                         // CallContract: the callee returns Bytes(its calldata)
            0x00, 0x00, .. Encode("sbx"u8.ToArray()),                    // Sandbox: returns Bytes(its data)
            .. Leader(FromMap(("ok", FromMap(("text", "page https://c.test/"))))),
            .. Leader(FromMap(("ok", FromMap(("response", FromMap(("body", "body"u8.ToArray()), ("headers", Decode([0x06])), ("status", 200))))))),
            .. Leader(FromMap(("ok", "hi"))),
            .. Leader(FromMap(("ok", true))),
            0x00, 0x00, .. Encode(new byte[] { 0x06 }),                  // storage_read in a nondet leader: forbidden
            0x00, 0x00, 0x10,                                            // call 5: the host's leader result
            0x00, 0x00, 0x09,                                            // call 6: the host's leader result (the validator disagrees)
            0x02,                                                        // {"Nope": null}: inval
            0x07,                                                        // PostMessage of 1000000 > balance: inbalance
        ];
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.Return), run.ResultLine);
        Assert.That(Convert.ToHexStringLower(CalldataCodec.Decode(run.Node.Result.AsSpan(1)).AsBytes().Span), Is.EqualTo(Convert.ToHexStringLower(expected)));

        var requests = run.Node.Transcript;
        Assert.That(Encoding.UTF8.GetString(requests.Single(r => r.Method == (byte)HostMethod.PostMessage).Field("data")), Is.EqualTo("{\"on\":\"finalized\",\"value\":\"0x5\"}"));
        Assert.That(Encoding.UTF8.GetString(requests.Single(r => r.Method == (byte)HostMethod.DeployContract).Field("data")), Is.EqualTo("{\"on\":\"accepted\",\"salt_nonce\":\"0x1\",\"value\":\"0x0\"}"));
        Assert.That(Encoding.UTF8.GetString(requests.Single(r => r.Method == (byte)HostMethod.EthSend).Field("data")), Is.EqualTo("{\"value\":\"0x0\"}"));
        Assert.That(requests.Single(r => r.Method == (byte)HostMethod.PostEvent).RawHex, Is.EqualTo("0701a0a1" + new string('0', 60) + "04000000" + "0e016e09"));
        Assert.That(requests.Where(r => r.Method == (byte)HostMethod.PostNondetResult).Select(r => BitConverter.ToUInt32(r.Field("call_no"))), Is.EqualTo(new uint[] { 0, 1, 2, 3, 4 }));

        // §5: remaining_fuel_as_gen right before each LLM call, consume_fuel(consumed_gen) after it.
        var fuel = requests.Where(r => r.Method is (byte)HostMethod.RemainingFuelAsGen or (byte)HostMethod.ConsumeFuel).Select(r => r.RawHex);
        Assert.That(fuel, Is.EqualTo(new[] { "0d", "080700000000000000", "0d", "080700000000000000" }));
        Assert.That(llm.Requests.Select(r => r.Fuel), Is.EqualTo(new[] { (1UL << 53) - 1, (1UL << 53) - 1 }));
        Assert.That(web.Requests, Has.Count.EqualTo(2));

        // §5: each balance once per run (the own balance is asked by get_self_balance, then cached for FUNDS).
        Assert.That(requests.Count(r => r.Method == (byte)HostMethod.GetBalance), Is.EqualTo(2));
        Assert.That(requests.Select(r => r.Method).TakeLast(2), Is.EqualTo(new[] { (byte)HostMethod.NotifyNondetDisagreement, (byte)HostMethod.ConsumeResult }));
        Assert.That(requests[^2].RawHex, Is.EqualTo("0e06000000"));
    }

    [TestCase("rollback", "executed with `UserError(\"c says no\")`")]
    [TestCase("trap", "executed with `VMError(\"wasm_trap UnreachableCodeReached\")`")]
    [TestCase("exit", "executed with `VMError(\"exit_code 3\")`")]
    public async Task Run_CCommand_EndsAsSpecified(string command, string expected)
    {
        var run = await RunAsync(command);

        Assert.That(run.ResultLine, Is.EqualTo(expected));
        Assert.That(run.Node.Result![0], Is.EqualTo(expected.Contains("UserError", StringComparison.Ordinal) ? (byte)ResultCode.UserError : (byte)ResultCode.VmError));
    }

    [Test]
    public async Task Run_COtherCalldata_ReturnsIt()
    {
        var run = await RunAsync(FromMap(("x", 10)));

        Assert.That(run.ResultLine, Is.EqualTo("executed with `Return(\"\\x0e\\x01xQ\")`"));
        Assert.That(Convert.ToHexStringLower(run.Node.Result!), Is.EqualTo("000e017851"));
    }
}
