using GenVm.Core.LocalNode;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus value transfers to an EVM contract (contract-corpus.md §2.4 balance_eth; python-sdk.md §14, §15) through
/// <c>genvm exec</c>: <c>emit_transfer</c> on a <c>gl.evm.contract_interface</c> proxy is an EthSend with empty
/// calldata, counted against <c>self.balance</c> like a message. Contract: <c>Corpus/evm_balance.py</c>.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusEvmBalanceTests : CorpusFixture
{
    private const string Self = "0x0100000000000000000000000000000000000000";
    private const string Vault = "0x0500000000000000000000000000000000000000";

    [Test]
    public async Task Exec_EmitTransferToEvmContract_EthSendWithValueLowersSelfBalance()
    {
        await Exec.RunAsync("evm_balance.py", "--deploy");
        Exec.SetBalance(Self, 10);
        Exec.SetBalance(Vault, 7);

        var pay = await Exec.RunAsync("evm_balance.py", "--method", "pay", "--args", $"[addr#{Vault[2..]}]");

        // §14: 10, proxy-of-self 10, the vault's raw balance 7; after emit_transfer(5) self.balance is 5, the proxy
        // still 10, both 10 inside a nested view; .emit(value=3).deposit(2) sends value 0 (§15 quirk), so self.balance
        // stays 5; 6 > 5 is 7: inbalance. The node gets two EthSends: the transfer (empty calldata, value 5) and the
        // call (selector of deposit(uint256) = b6b55f25, then the ABI word 2, value 0).
        var selector = Keccak256.HexOf("deposit(uint256)")[..8];
        Assert.That(selector, Is.EqualTo("b6b55f25"));
        Assert.That(pay, Is.EqualTo(
            "10 10 7\n5 10 10/10\n5\ntoo much: 7: inbalance\nexecuted with `Return(\"\\x00\")`\n"
            + $"eth_send to {Vault} {{\"value\":\"0x5\"}}: 0x\n"
            + $"eth_send to {Vault} {{\"value\":\"0x0\"}}: 0x{selector}{new string('0', 63)}2\n"));
    }
}
