using System.Text;
using GenVm.Host.Verbs;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;

namespace GenVm.Tests.Host;

[TestFixture]
public sealed class RunVerbTests
{
    private static async Task<(int ExitCode, string Stderr)> RunAsync(params string[] args)
    {
        var stderr = new MemoryStream();
        var code = await new RunVerb(() => new MemoryStream(), () => stderr).RunCoreAsync(args, CancellationToken.None);
        return (code, Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Test]
    public async Task Run_HostDataWithoutRequiredFields_FailsBeforeConnecting()
    {
        var run = await RunAsync("--host", "unix:///nonexistent/genvm.sock", "--message", ContractRun.MessageJson, "--host-data", "{}");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.StartWith("genvm run: bad --message or --host-data: "));
    }

    [Test]
    public async Task Run_UnreachableHost_ExitsOne()
    {
        var run = await RunAsync("--host", "unix:///nonexistent/genvm.sock", "--message", ContractRun.MessageJson, "--host-data", "{\"node_address\": \"0x\", \"tx_id\": \"0x\"}");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Stderr, Does.StartWith("genvm run: "));
    }
}
