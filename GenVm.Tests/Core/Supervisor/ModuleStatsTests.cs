using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Core.Protocol;
using GenVm.Tests.Modules.Llm;
using NUnit.Framework;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// modules.md §2.3 step 5 and host-protocol.md §11.3: after all VMs have finished and before <c>consume_result</c>, the
/// executor sends <c>GetStats</c> to every module the run used, unless the run was cancelled; the reply only goes to the
/// run's log. The same log gets a record for every sub-VM's end.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class ModuleStatsTests
{
    private static readonly CalldataValue Prompt = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "p"), ("images", CalldataValue.FromArray())));

    private static byte[] PromptInNondet() => new SubVmContract
    {
        MainRequest = SubVmContract.Request("RunNondet", CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 }))),
        Leaf = SubVmContract.ReturnLeafRequestFile,
        LeafRequest = Prompt,
    }.Compile();

    [Test]
    public async Task Run_LeaderAsksTheLlm_GetStatsOnceToTheLlmOnlyBeforeConsumeResult()
    {
        var node = ContractRun.Deploy(PromptInNondet());
        var resultAtStats = new List<byte[]?>();
        var llm = new FakeLlmModule { Stats = () => { resultAtStats.Add(node.Result); return CalldataValue.Null; } };
        var web = new FakeWebModule();

        var run = await new ContractRun { Node = node, Llm = llm, Web = web }.RunAsync();

        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.Return), run.ResultLine);
        Assert.That(llm.StatsRequests, Is.EqualTo(1));
        Assert.That(resultAtStats, Is.EqualTo(new byte[]?[] { null }), "GetStats came after consume_result");
        Assert.That(web.StatsRequests, Is.Zero, "the web module was not used");
    }

    [Test]
    public async Task Run_ValidatorAsksTheLlm_GetStatsAfterTheValidatorEnded()
    {
        var node = ContractRun.Deploy(PromptInNondet(), leaderResults: [[0x00, 0x10]]);
        var promptsAtStats = -1;
        var resultAtStats = new byte[] { 0xff };
        FakeLlmModule? llm = null;
        llm = new FakeLlmModule { Stats = () => { promptsAtStats = llm!.Requests.Count; resultAtStats = node.Result!; return CalldataValue.Null; } };

        var run = await new ContractRun { Node = node, Llm = llm }.RunAsync();

        Assert.That(run.Lines, Has.Member("nondet disagreement: 0"));
        Assert.That(llm.StatsRequests, Is.EqualTo(1));
        Assert.That(promptsAtStats, Is.EqualTo(1), "GetStats came before the queued validator's prompt");
        Assert.That(resultAtStats, Is.Null, "GetStats came after consume_result");
    }

    [Test]
    public async Task Run_NoModuleRequest_NoGetStats()
    {
        var llm = new FakeLlmModule();
        var web = new FakeWebModule();
        var contract = new SubVmContract { MainRequest = SubVmContract.Request("Sandbox", CalldataValue.FromMap(("data", new byte[] { 0x10 }), ("allow_write_ops", false))) };

        var run = await new ContractRun { Node = ContractRun.Deploy(contract.Compile()), Llm = llm, Web = web }.RunAsync();

        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.Return), run.ResultLine);
        Assert.That(llm.StatsRequests + web.StatsRequests, Is.Zero);
    }

    [Test]
    public async Task Run_CancelledAfterTheLlmCall_NoGetStatsButTheResultIsStillReported()
    {
        var cancel = new TaskCompletionSource<CancellationTokenSource>(TaskCreationOptions.RunContinuationsAsynchronously);
        var llm = new FakeLlmModule
        {
            Answer = _ =>
            {
                cancel.Task.GetAwaiter().GetResult().Cancel();
                return ModuleAnswer<LlmAnswer>.Ok(new LlmAnswer(CalldataValue.FromString("OK"), 7));
            },
        };
        var run = new ContractRun { Node = ContractRun.Deploy(PromptInNondet()), Llm = llm };

        await run.ExecuteAsync((_, source) =>
        {
            cancel.SetResult(source);
            return Task.CompletedTask;
        });

        Assert.That(llm.Requests, Has.Count.EqualTo(1));
        Assert.That(run.Node.Result, Is.Not.Null);
        Assert.That(llm.StatsRequests, Is.Zero);
    }

    [Test]
    public async Task Run_StatsAndSubVmEnds_AreRecordsOfTheRunLog()
    {
        var lines = new CapturingLoggerProvider();
        var llm = new FakeLlmModule { Stats = () => CalldataValue.FromMap(("calls", 1)) };

        var run = await new ContractRun { Node = ContractRun.Deploy(PromptInNondet()), Llm = llm, Log = lines.CreateLogger("run") }.RunAsync();

        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.Return), run.ResultLine);
        Assert.That(lines.Lines, Has.Some.StartWith("Information 6000 sub-vm nondet leader 0 ended with Return"));
        Assert.That(lines.Lines, Has.Some.StartWith("Information 6001 llm module stats: {\"calls\":1}"));
    }

    [Test]
    public async Task Run_GetStatsFails_LoggedAndTheResultIsUnchanged()
    {
        var lines = new CapturingLoggerProvider();
        var llm = new FakeLlmModule { Stats = () => throw new ModuleFatalException("stats broke") };

        var run = await new ContractRun { Node = ContractRun.Deploy(PromptInNondet()), Llm = llm, Log = lines.CreateLogger("run") }.RunAsync();

        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.Return), run.ResultLine);
        Assert.That(lines.Lines, Has.Some.StartWith("Warning 6002 llm module stats failed: ModuleFatalException: stats broke"));
    }
}
