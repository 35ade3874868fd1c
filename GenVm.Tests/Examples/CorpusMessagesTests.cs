using System.Text.Json.Nodes;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// <c>genvm exec --apply-messages</c> (docs/decisions.md "genvm exec applies messages"): the messages a returned
/// transaction emits run as the following transactions of their receivers against the state file and their values
/// move between balances; without the option they are only listed. Two deployments of <c>Corpus/messages.py</c>:
/// the sender at 0x01…, the receiver at 0x03….
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusMessagesTests : CorpusFixture
{
    private const string Sender = "0x0100000000000000000000000000000000000000";
    private const string Receiver = "0x0300000000000000000000000000000000000000";
    private const string Nobody = "0x0500000000000000000000000000000000000000";
    private const string Ok = "executed with `Return(\"\\x00\")`\n";

    private async Task DeployBothAsync(long senderBalance)
    {
        await Exec.RunAsync("messages.py", "--address", Receiver, "--deploy");
        await Exec.RunAsync("messages.py", "--deploy");
        Exec.SetBalance(Sender, senderBalance);
    }

    // Absent accounts and balances are 0.
    private string Balance(string address)
        => JsonNode.Parse(File.ReadAllText(Exec.StatePath))!["accounts"]![address]?["balance"]?.GetValue<string>() ?? "0";

    private Task<string> ShowAsync() => Exec.ResultAsync("messages.py", "--address", Receiver, "--method", "show");

    [Test]
    public async Task Exec_ApplyMessages_MessagesRunInOrderAndTransfersMoveBalances()
    {
        await DeployBothAsync(10);

        var output = await Exec.RunAsync("messages.py", "--method", "send", "--args", $"[addr#{Receiver[2..]}, 5]", "--apply-messages");

        // The sending transaction and its listed messages, then each message as a transaction of the receiver:
        // "accepted" before "finalized", each kind in call order; the transfer's {} calldata reaches __receive__.
        var expected = Ok
            + $"post_message to {Receiver} {{\"on\":\"finalized\",\"value\":\"0x0\"}}: {{\"args\":[5],\"method\":\"hit\"}}\n"
            + $"post_message to {Receiver} {{\"on\":\"accepted\",\"value\":\"0x0\"}}: {{\"args\":[100],\"method\":\"hit\"}}\n"
            + $"post_message to {Receiver} {{\"on\":\"finalized\",\"value\":\"0x3\"}}: {{}}\n"
            + $"message to {Receiver} from {Sender} (value 0):\nhit 100 from {Sender} total 100\n" + Ok
            + $"message to {Receiver} from {Sender} (value 0):\nhit 5 from {Sender} total 105\n" + Ok
            + $"message to {Receiver} from {Sender} (value 3):\nreceived 3 balance 3\n" + Ok;
        Assert.That(output, Does.StartWith(expected));
        Assert.That(await ShowAsync(), Is.EqualTo(CorpusExec.ReturnsString("105 3")));
        Assert.That((Balance(Sender), Balance(Receiver)), Is.EqualTo(("7", "3")));
    }

    [Test]
    public async Task Exec_WithoutApplyMessages_MessagesAreOnlyListed()
    {
        await DeployBothAsync(10);

        var output = await Exec.RunAsync("messages.py", "--method", "send", "--args", $"[addr#{Receiver[2..]}, 5]");

        Assert.That(output, Does.Contain($"post_message to {Receiver} {{\"on\":\"finalized\",\"value\":\"0x3\"}}: {{}}\n"));
        Assert.That(output, Does.Not.Contain("message to " + Receiver + " from"));
        Assert.That(await ShowAsync(), Is.EqualTo(CorpusExec.ReturnsString("0 0")));
        Assert.That((Balance(Sender), Balance(Receiver)), Is.EqualTo(("10", "0")));
    }

    [Test]
    public async Task Exec_ApplyMessages_FailedReceiverIsRolledBackAndAccountWithoutCodeGetsTheValue()
    {
        await DeployBothAsync(10);

        var output = await Exec.RunAsync("messages.py", "--method", "send_failing", "--args", $"[addr#{Receiver[2..]}, addr#{Nobody[2..]}]", "--apply-messages");

        // hit is not payable: with value 2 it fails (python-sdk.md §6.1), so neither its storage nor the value is kept.
        Assert.That(output, Does.Contain(
            $"message to {Receiver} from {Sender} (value 2):\nexecuted with `VMError(\"exit_code 1\")`\nrolled back: storage and value unchanged\n"
            + $"message to {Nobody} from {Sender}: value 4 moved (no code at the address)\n"));
        Assert.That(await ShowAsync(), Is.EqualTo(CorpusExec.ReturnsString("0 0")));
        Assert.That((Balance(Sender), Balance(Receiver), Balance(Nobody)), Is.EqualTo(("6", "0", "4")));
    }

    [Test]
    public async Task Exec_ApplyMessages_PingPongStopsAfterTheFollowUpLimit()
    {
        await DeployBothAsync(0);

        var output = await Exec.RunAsync("messages.py", "--method", "ping", "--args", $"[addr#{Receiver[2..]}, 100]", "--apply-messages");

        Assert.That(output.Split('\n').Count(line => line.StartsWith("message to ", StringComparison.Ordinal)), Is.EqualTo(64));
        Assert.That(output, Does.Contain("stopped after 64 follow-up transactions: 1 more not applied\n"));
    }
}
