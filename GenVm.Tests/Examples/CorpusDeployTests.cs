using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// A child contract deployed with <c>gl.deploy_contract</c> that then runs (contract-corpus.md §2.7 deploy_salt,
/// call_view; python-sdk.md §12.1, §12.3). <c>genvm exec</c>'s local node only records deploys, so the test plays the
/// node: it checks the recorded deploy (code, calldata, salt), runs the child's deployment with that code and calldata
/// at the derived address with the factory as sender, then calls into the child directly and through the factory.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusDeployTests
{
    private const string Factory = "0x0100000000000000000000000000000000000000";

    // python-sdk.md §12.3 vector: deployer 0x01 followed by 19 zero octets, salt 1, chain 0.
    private const string ChildAddress = "0xf539Cb83f077Cd01BDd1a4E002866dCC0D15D633";

    [Test]
    public async Task Exec_DeployContractWithSalt_ChildRunsAtTheDerivedAddressAndAnswersTheFactory()
    {
        await using var exec = CorpusExec.CreateOrIgnore();
        var code = await File.ReadAllBytesAsync(CorpusExec.Contract("child.py"));

        await exec.RunAsync("factory.py", "--deploy");
        var make = await exec.RunAsync("factory.py", "--method", "make", "--args", "[b#" + Convert.ToHexStringLower(code) + "]");
        await exec.RunAsync("child.py", "--address", ChildAddress, "--sender", Factory, "--deploy", "--args", "[5]");
        var bump = await exec.ResultAsync("child.py", "--address", ChildAddress, "--method", "bump");
        var read = await exec.ResultAsync("factory.py", "--method", "read");

        // The factory returns the derived address and the node gets the child's code and {"args": [5]} (§12.3).
        Assert.That(make, Does.StartWith(CorpusExec.ReturnsString(ChildAddress)));
        Assert.That(make, Does.Contain(
            $"deploy_contract {{\"on\":\"finalized\",\"salt_nonce\":\"0x1\",\"value\":\"0x0\"}} ({code.Length} octets of code): {{\"args\":[5]}}\n"));
        // The child's constructor ran with the factory as sender; 5 + 1 = 6 = calldata (6 << 3) | 1 = 49 = '1'.
        Assert.That(bump, Is.EqualTo("executed with `Return(\"1\")`\n"));
        // A later transaction of the factory reads the child's storage through a view proxy (§12.1).
        Assert.That(read, Is.EqualTo(CorpusExec.ReturnsString("6 owned by " + Factory)));
    }
}
