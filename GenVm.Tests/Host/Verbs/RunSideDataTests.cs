using System.Numerics;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;
using static GenVm.Core.Calldata.CalldataValue;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// The JSON side-data of <c>post_message</c>, <c>deploy_contract</c> and <c>eth_send</c> (host-protocol.md §6):
/// compact, keys sorted, u256 values as <c>0x</c> + lowercase hex without leading zeros.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class RunSideDataTests
{
    private static readonly Address A3 = new(Convert.FromHexString("0300000000000000000000000000000000000000"));
    private static readonly CalldataValue EmptyMap = Decode([0x06]);
    private static readonly BigInteger U256Max = (BigInteger.One << 256) - 1;

    private static byte[] Request(string name, CalldataValue payload) => CalldataCodec.Encode(FromMap((name, payload)));

    private static async Task<string> SideDataAsync(byte[] request, HostMethod method)
    {
        var node = new TestNode { ContractHex = ContractRun.ContractHex };
        node.Balances[ContractRun.ContractHex] = U256Max;
        ContractRun.DeployAt(node, ContractRun.ContractHex, new WireContract().GlCall(request).Compile());

        var run = await new ContractRun { Node = node }.RunAsync();

        Assert.That(Convert.ToHexStringLower(run.Node.Result!), Is.EqualTo("000b00"), run.ResultLine);
        return Encoding.UTF8.GetString(run.Node.Transcript.Single(r => r.Method == (byte)method).Field("data"));
    }

    private static IEnumerable<TestCaseData> Values()
    {
        yield return new TestCaseData(BigInteger.Zero, "0x0");
        yield return new TestCaseData(new BigInteger(10), "0xa");
        yield return new TestCaseData(new BigInteger(0xabcdef), "0xabcdef");
        yield return new TestCaseData(BigInteger.One << 64, "0x10000000000000000");
        yield return new TestCaseData(U256Max, "0x" + new string('f', 64));
    }

    [TestCaseSource(nameof(Values))]
    public async Task PostMessage_Value_IsLowercaseHexWithoutLeadingZeros(BigInteger value, string hex)
    {
        var json = await SideDataAsync(Request("PostMessage", FromMap(("address", A3), ("calldata", EmptyMap), ("value", value), ("on", "accepted"))), HostMethod.PostMessage);

        Assert.That(json, Is.EqualTo($"{{\"on\":\"accepted\",\"value\":\"{hex}\"}}"));
    }

    [TestCaseSource(nameof(Values))]
    public async Task DeployContract_SaltNonce_IsLowercaseHex(BigInteger salt, string hex)
    {
        var json = await SideDataAsync(
            Request("DeployContract", FromMap(("calldata", EmptyMap), ("code", Array.Empty<byte>()), ("value", 1), ("on", "finalized"), ("salt_nonce", salt))),
            HostMethod.DeployContract);

        Assert.That(json, Is.EqualTo($"{{\"on\":\"finalized\",\"salt_nonce\":\"{hex}\",\"value\":\"0x1\"}}"));
    }

    [TestCaseSource(nameof(Values))]
    public async Task EthSend_Value_IsLowercaseHex(BigInteger value, string hex)
    {
        var json = await SideDataAsync(Request("EthSend", FromMap(("address", A3), ("calldata", Array.Empty<byte>()), ("value", value))), HostMethod.EthSend);

        Assert.That(json, Is.EqualTo($"{{\"value\":\"{hex}\"}}"));
    }

    // wasm-abi.md §4: u256 fields must be in range; 2^256 and negative values are a shape mismatch (inval, 2).
    [Test]
    public async Task PostMessage_ValueOutOfU256_IsInval()
    {
        var node = new TestNode { ContractHex = ContractRun.ContractHex };
        var contract = new WireContract()
            .GlCall(Request("PostMessage", FromMap(("address", A3), ("calldata", EmptyMap), ("value", BigInteger.One << 256), ("on", "accepted"))))
            .GlCall(Request("PostMessage", FromMap(("address", A3), ("calldata", EmptyMap), ("value", -1), ("on", "accepted"))))
            .GlCall(Request("PostMessage", FromMap(("address", A3), ("calldata", EmptyMap), ("value", 0), ("on", "later"))));
        ContractRun.DeployAt(node, ContractRun.ContractHex, contract.Compile());

        var run = await new ContractRun { Node = node }.RunAsync();

        Assert.That(Convert.ToHexStringLower(run.Node.Result!), Is.EqualTo("001b020202"));
        Assert.That(run.Node.Transcript.Any(r => r.Method == (byte)HostMethod.PostMessage), Is.False);
    }
}
