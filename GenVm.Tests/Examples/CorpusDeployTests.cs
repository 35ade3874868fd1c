using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// A child contract deployed with <c>gl.deploy_contract</c> that then runs (contract-corpus.md §2.7 deploy,
/// deploy_salt, call_view; python-sdk.md §12.1, §12.3). <c>genvm exec</c> applies the deploys of a returned
/// transaction (docs/decisions.md "genvm exec applies deploys"): the child's code lands at its address and its
/// constructor runs with the factory as sender, so later exec calls reach it by address.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusDeployTests
{
    private const string Factory = "0x0100000000000000000000000000000000000000";

    // python-sdk.md §12.3 vector: deployer 0x01 followed by 19 zero octets, salt 1, chain 0.
    private const string ChildAddress = "0xf539Cb83f077Cd01BDd1a4E002866dCC0D15D633";

    [Test]
    public async Task Exec_DeployContractWithSalt_ChildIsCreatedAndLaterCallsReachIt()
    {
        await using var exec = CorpusExec.CreateOrIgnore();
        var code = await File.ReadAllBytesAsync(CorpusExec.Contract("child.py"));

        await exec.RunAsync("factory.py", "--deploy");
        var make = await exec.RunAsync("factory.py", "--method", "make", "--args", "[b#" + Convert.ToHexStringLower(code) + "]");
        var bump = await exec.ResultPathAsync(null, "--address", ChildAddress, "--method", "bump");
        var read = await exec.ResultAsync("factory.py", "--method", "read");

        // The factory returns the derived address and the node gets the child's code and {"args": [5]} (§12.3); then
        // exec applies the deploy: the child's constructor returns at that address.
        Assert.That(make, Does.StartWith(
            CorpusExec.ReturnsString(ChildAddress)
            + $"deploy_contract {{\"on\":\"finalized\",\"salt_nonce\":\"0x1\",\"value\":\"0x0\"}} ({code.Length} octets of code): {{\"args\":[5]}}\n"
            + $"deployed {ChildAddress.ToLowerInvariant()} by {Factory}:\n"
            + "executed with `Return(\"\\x00\")`\n"));
        // The child's code slot holds the deployed code (host-protocol.md §12) and its fields were written.
        var codeSlot = Convert.ToHexStringLower(CorpusExec.Child(CorpusExec.RootSlot, 1));
        Assert.That(make, Does.Contain($"storage {ChildAddress.ToLowerInvariant()} {codeSlot}: (empty) -> 0x"));
        Assert.That(exec.SlotHex(CorpusExec.Child(CorpusExec.RootSlot, 1), ChildAddress.ToLowerInvariant()), Is.EqualTo(
            Convert.ToHexStringLower(BitConverter.GetBytes((uint)code.Length)) + Convert.ToHexStringLower(code)));
        // The constructor ran with the factory as sender; 5 + 1 = 6 = calldata (6 << 3) | 1 = 49 = '1'.
        Assert.That(bump, Is.EqualTo("executed with `Return(\"1\")`\n"));
        // A later transaction of the factory reads the child's storage through a view proxy (§12.1).
        Assert.That(read, Is.EqualTo(CorpusExec.ReturnsString("6 owned by " + Factory)));
    }

    [Test]
    public async Task Exec_DeployWithoutSaltAndFailingConstructor_NodeChoosesAnAddressAndKeepsOnlyReturnedChildren()
    {
        await using var exec = CorpusExec.CreateOrIgnore();
        var child = Convert.ToHexStringLower(await File.ReadAllBytesAsync(CorpusExec.Contract("child.py")));

        await exec.RunAsync("factory.py", "--deploy");
        // Salt 0: the SDK returns None and the node picks the address (ours: Keccak-256(0x00 ‖ deployer ‖ n), n = 0,
        // 1, … the first without code). A constructor given a str for its int argument fails (exit code 1): its
        // code and storage are not kept, so the next free address is the same again.
        var twice = await exec.RunAsync("factory.py", "--method", "make_unsalted", "--args", $"[b#{child}, [4, \"x\", 7]]");

        var deployed = twice.Split('\n').Where(l => l.StartsWith("deployed ", StringComparison.Ordinal)).ToList();
        Assert.That(deployed, Has.Count.EqualTo(3));
        var first = deployed[0]["deployed ".Length..deployed[0].IndexOf(' ', "deployed ".Length)];
        var second = deployed[2]["deployed ".Length..deployed[2].IndexOf(' ', "deployed ".Length)];
        Assert.That(deployed[1], Does.StartWith($"deployed {second} by "), "the failed child's address is reused");
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(twice, Does.Contain("executed with `VMError(\"exit_code 1\")`\n"));
        Assert.That(await exec.ResultPathAsync(null, "--address", first, "--method", "bump"), Is.EqualTo("executed with `Return(\")\")`\n"));
        Assert.That(await exec.ResultPathAsync(null, "--address", second, "--method", "bump"), Is.EqualTo("executed with `Return(\"A\")`\n"));
    }
}
