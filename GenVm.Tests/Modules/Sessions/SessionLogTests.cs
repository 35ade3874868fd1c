using System.Text.Json.Nodes;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Core.Protocol;
using GenVm.Modules.Llm;
using GenVm.Tests.Core.Supervisor;
using GenVm.Tests.Modules.Llm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenVm.Tests.Modules.Sessions;

/// <summary>
/// An in-process module's records about one execution's calls go to that execution's log (what <c>genvm_log</c>
/// holds, config.md §5.1), like the executor's own records, and not to the module's process-wide logger.
/// </summary>
[TestFixture]
[Category("Network")]
public sealed class SessionLogTests
{
    private static Dictionary<string, string?> Backend(string name, FakeProviderServer server) => new()
    {
        [$"backends:{name}:provider"] = "openai-compatible",
        [$"backends:{name}:host"] = server.BaseUrl,
        [$"backends:{name}:key"] = "k",
        [$"backends:{name}:models:m1:supports_json"] = "true",
    };

    [Test]
    public async Task Run_InProcessLlmFailsOver_ModuleRecordsInTheRunLogOnly()
    {
        await using var overloaded = await FakeProviderServer.StartAsync((_, c) => FakeProviderServer.AnswerAsync(c, 503, new JsonObject { ["error"] = new JsonObject { ["message"] = "busy" } }));
        await using var healthy = await FakeProviderServer.StartAsync((_, c) => FakeProviderServer.AnswerAsync(c, 200, new JsonObject
        {
            ["choices"] = new JsonArray(new JsonObject { ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "hi" } }),
        }));
        var config = new Dictionary<string, string?> { ["vm_count"] = "1" };
        foreach (var (k, v) in Backend("a_overloaded", overloaded).Concat(Backend("b_healthy", healthy)))
        {
            config[k] = v;
        }

        var moduleLog = new CapturingLoggerProvider();
        await using var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(moduleLog))
            .AddInProcessLlmModule(new ConfigurationBuilder().AddInMemoryCollection(config).Build())
            .BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();
        var contract = new SubVmContract
        {
            MainRequest = SubVmContract.Request("RunNondet", CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 }))),
            Leaf = SubVmContract.ReturnLeafRequestFile,
            LeafRequest = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "p"), ("images", CalldataValue.FromArray()))),
        };
        var runLog = new CapturingLoggerProvider();

        var run = await new ContractRun { Node = ContractRun.Deploy(contract.Compile()), Llm = services.GetRequiredService<ILlmModule>(), Log = runLog.CreateLogger("run") }.RunAsync();

        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.Return), run.ResultLine);
        Assert.That(healthy.Requests, Has.Count.EqualTo(1));
        Assert.That(runLog.Lines, Has.Some.StartWith("Warning 7003 LLM backend a_overloaded model m1 overloaded"));
        Assert.That(runLog.Lines, Has.Some.StartWith("Information 6001 llm module stats: "));
        Assert.That(moduleLog.Lines.Where(l => l.StartsWith("Warning 7003", StringComparison.Ordinal)), Is.Empty);
    }
}
