using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus cases with two contracts and value (contract-corpus.md §2.4, §2.7, §2.10 call_view; python-sdk.md §12,
/// §14): both deployed into one <c>genvm exec</c> state, the callee at 0x03…, the caller at 0x01….
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusIntercontractTests : CorpusFixture
{
    private const string Callee = "0x0300000000000000000000000000000000000000";
    private const string Ok = "executed with `Return(\"\\x00\")`\n";

    [Test]
    public async Task Exec_ViewCallMessageAndDeploy_BetweenTwoDeployedContracts()
    {
        var args = "[addr#" + Callee[2..] + "]";
        await Exec.RunAsync("callee.py", "--address", Callee, "--deploy");
        await Exec.RunAsync("caller.py", "--deploy");

        var call = await Exec.ResultAsync("caller.py", "--method", "call", "--args", args);
        var write = await Exec.ResultAsync("caller.py", "--method", "call_write", "--args", args);
        var send = await Exec.RunAsync("caller.py", "--method", "send", "--args", args);

        // §12.2: the callee sees the caller's sender and its own address, reads its own storage (7), and its
        // json.loads patch stays in its VM; its UserError is caught by the caller. 1 + 2 + 7 = 10 = calldata 51 'Q'.
        Assert.That(call, Is.EqualTo(
            "callee: sender 0x0200000000000000000000000000000000000000 contract 0x0300000000000000000000000000000000000000\n"
            + "caller: json.loads is still loads\ncaught 'callee says no'\nexecuted with `Return(\"Q\")`\n"));
        // A view callee may not write (6: forbidden): its VMError ends the caller.
        Assert.That(write, Is.EqualTo("executed with `VMError(\"exit_code 1\")`\n"));
        // §12.3 vector: deployer 0x01…, salt 1, chain 0 → 0xf539…D633; on='random' is 2: inval; the message and the
        // deploy are recorded by the node, and exec applies the deploy: 00 61 73 6d alone is neither wasm nor a text
        // contract with a comment header (runners.md §2), so the child is not created.
        Assert.That(send, Is.EqualTo(
            "0xf539Cb83f077Cd01BDd1a4E002866dCC0D15D633\non=random: 2: inval\n" + Ok
            + $"post_message to {Callee} {{\"on\":\"accepted\",\"value\":\"0x0\"}}: {{\"args\":[1,2],\"method\":\"foo\"}}\n"
            + "deploy_contract {\"on\":\"finalized\",\"salt_nonce\":\"0x1\",\"value\":\"0x0\"} (4 octets of code): {}\n"
            + "deployed 0xf539cb83f077cd01bdd1a4e002866dcc0d15d633 by 0x0100000000000000000000000000000000000000:\n"
            + "executed with `VMError(\"invalid_contract absent_runner_comment\")`\n"));
    }

    [Test]
    public async Task Exec_BalancesAndTransfers_FollowTheSpecAccounting()
    {
        await Exec.RunAsync("balances.py", "--deploy");
        Exec.SetBalance("0x0100000000000000000000000000000000000000", 10);

        var transfer = await Exec.RunAsync("balances.py", "--method", "transfer", "--args", "[addr#" + Callee[2..] + "]");
        var deposit = await Exec.ResultAsync("balances.py", "--method", "deposit", "--value", "3");
        var notPayable = await Exec.ResultAsync("balances.py", "--method", "free", "--value", "3");
        var receive = await Exec.ResultAsync("balances.py", "--value", "4");

        // §14 (stable/py/balances/balance): 10 10; after emit_transfer(5) self.balance is 5, the proxy of self still
        // 10, and both are 10 inside a nested view; 5 + 6 > 10 → 7: inbalance. The transfer is a message with calldata {}.
        Assert.That(transfer, Is.EqualTo(
            "10 10\n5 10 10/10\ntoo much: 7: inbalance\n" + Ok
            + $"post_message to {Callee} {{\"on\":\"finalized\",\"value\":\"0x5\"}}: {{}}\n"));
        // §6.1: value needs a payable method; 3 = calldata 19; no method with value goes to the payable __receive__.
        Assert.That(deposit, Is.EqualTo("executed with `Return(\"\\x19\")`\n"));
        Assert.That(notPayable, Is.EqualTo("executed with `VMError(\"exit_code 1\")`\n"));
        Assert.That(receive, Is.EqualTo("received 4\n" + Ok));
    }
}
