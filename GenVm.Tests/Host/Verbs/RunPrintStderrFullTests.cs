using System.Text;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// <c>genvm run --print stderr-full</c> (host-protocol.md §1.1): the whole run result on stderr, before the result
/// line on stdout. The rendering is ours (the reference's Rust Debug form is UNKNOWN, docs/decisions.md).
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class RunPrintStderrFullTests
{
    private static async Task<ContractRun> RunAsync(WireContract contract)
    {
        var node = new TestNode { ContractHex = ContractRun.ContractHex };
        ContractRun.DeployAt(node, ContractRun.ContractHex, contract.Compile());
        return await new ContractRun { Node = node, ExtraArgs = ["--print", "stderr-full"] }.RunAsync();
    }

    [Test]
    public async Task Run_Return_PrintsOkWithoutFingerprint()
    {
        var run = await RunAsync(new WireContract().Raw("(call $errno (i32.const 0))"));

        Assert.That(Encoding.UTF8.GetString(run.Stderr.ToArray()), Is.EqualTo("Ok((Return(\"\\x0b\\x00\"), None, None))\n"));
        Assert.That(run.ResultLine, Is.EqualTo("executed with `Return(\"\\x0b\\x00\")`"));
    }

    [Test]
    public async Task Run_VmError_PrintsOkWithFingerprintThenTheCause()
    {
        var run = await RunAsync(new WireContract().Raw("(call $proc_exit (i32.const 1))"));

        var stderr = Encoding.UTF8.GetString(run.Stderr.ToArray()).Split('\n');
        Assert.That(stderr[0], Does.StartWith("Ok((VMError(\"exit_code 1\"), Some({\"frames\":[],\"module_instances\":{").And.EndWith("}), None))"));
        Assert.That(stderr[1], Is.EqualTo("exit_code 1"));
    }

    [Test]
    public async Task Run_InternalError_PrintsErr()
    {
        var run = await RunAsync(new WireContract().Raw("(call $errno (call $get_balance (i32.const 0x40000) (i32.const 0)))"));

        Assert.That(Encoding.UTF8.GetString(run.Stderr.ToArray()), Does.StartWith("Err(").And.Contain("guest pointer out of bounds"));
        Assert.That(run.ResultLine, Is.EqualTo("executed with `InternalError(\"\")`"));
    }
}
