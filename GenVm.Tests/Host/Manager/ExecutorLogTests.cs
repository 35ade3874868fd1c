using System.Text.Json.Nodes;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Modules.Llm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GenVm.Tests.Host.Manager;

/// <summary>
/// manager.md §4 <c>/genvm/run</c> step 6 and config.md §5.3: the executor's log records reach the execution's
/// <c>genvm_log</c> (capture) or the manager's log with the <c>genvm_id</c> (no capture), in process as through the
/// <c>--log-fd</c> pipe of an executor process.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class ExecutorLogTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    [Test]
    public async Task Run_InProcessWithCapture_ExecutorRecordsInGenvmLog()
    {
        await using var server = await ManagerServer.StartAsync();

        var log = (await RunTrivialAsync(server, capture: true))!;

        Assert.That(log.Select(r => r!["level"]!.GetValue<string>()), Has.All.EqualTo("info"));
        Assert.That(log.Select(r => r!["target"]!.GetValue<string>()), Has.All.EqualTo("GenVm.Host.Verbs.RunVerb"));
        Assert.That(log[0]!.ToJsonString(), Is.EqualTo("""{"level":"info","target":"GenVm.Host.Verbs.RunVerb","message":"transaction started (cookie 1, sync False)"}"""));
        Assert.That(log[^1]!["message"]!.GetValue<string>(), Does.Match("^transaction finished with Return in [0-9]+ ms$"));
    }

    [Test]
    public async Task Run_InProcessEndlessDeleted_VmErrorRecordedAtWarn()
    {
        await using var server = await ManagerServer.StartAsync();
        var node = ManagerContracts.Deploy(ManagerContracts.Endless);
        await using var host = TestHost.StartUnix();
        var (_, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host.Uri));
        var id = body!["id"]!.GetValue<ulong>();
        await host.AcceptAsync().WaitAsync(Guard);
        var serve = node.ServeAsync(host, CancellationToken.None);
        await Eventually.TrueAsync(() => server.Executions.Executions[id].Stdout.Length > 0);

        await server.DeleteAsync($"/genvm/{id}");
        await serve.WaitAsync(Guard);
        await server.Executions.Executions[id].Completion.WaitAsync(Guard);
        (_, body) = await server.GetAsync($"/genvm/{id}");

        var log = body!["status"]!["genvm_log"]!.AsArray();
        Assert.That(log.Select(r => r!["message"]!.GetValue<string>()), Has.Some.Match("^transaction finished with VmError in [0-9]+ ms$"));
        Assert.That(log.Select(r => r!.ToJsonString()), Has.Some.EqualTo("""{"level":"warn","target":"GenVm.Host.Verbs.RunVerb","message":"vm error: timeout"}"""));
    }

    [Test]
    public async Task Run_InProcessWithoutCapture_RecordsReloggedWithGenvmId()
    {
        var lines = new CapturingLoggerProvider();
        await using var server = await ManagerServer.StartAsync(o => o.LogLevel = "info", services: s => s.AddSingleton<ILoggerProvider>(lines));

        var log = await RunTrivialAsync(server, capture: false);

        Assert.That(log, Is.Null);
        var relogged = lines.Lines.Where(l => l.Contains(" 8007 genvm log 1: ", StringComparison.Ordinal)).ToList();
        Assert.That(relogged, Has.Some.StartWith("Information 8007 genvm log 1: {\"level\":\"info\",\"target\":\"GenVm.Host.Verbs.RunVerb\",\"message\":\"transaction started"));
        Assert.That(relogged, Has.Some.Contains("transaction finished with Return"));
    }

    [Test]
    public async Task Run_BuiltInAsProcessAndInProcess_SameRecordsThroughTheLogPipe()
    {
        // The real `genvm` as an executor process (--log-fd pipe) against the in-process run of the same contract.
        var genvm = Path.Combine(AppContext.BaseDirectory, "genvm.dll");
        await using var inProcess = await ManagerServer.StartAsync();
        await using var process = await ManagerServer.StartAsync(o =>
        {
            o.ExecutionMode = GenVm.Host.Manager.ExecutionMode.Subprocess;
            o.BuiltInCommand = ["dotnet", genvm];
        });

        var expected = await RunTrivialAsync(inProcess, capture: true);
        var piped = await RunTrivialAsync(process, capture: true);

        static IEnumerable<string> Shape(JsonArray log) => log.Select(r => r!["level"] + " " + r["target"] + " " + System.Text.RegularExpressions.Regex.Replace(r["message"]!.GetValue<string>(), "[0-9]+ ms$", "N ms"));
        Assert.That(Shape(piped!), Is.EqualTo(Shape(expected!)));
        Assert.That(piped!.Count, Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task Run_InProcessWithSandbox_SubVmRecordInGenvmLog()
    {
        await using var server = await ManagerServer.StartAsync();
        var contract = new GenVm.Tests.Core.Supervisor.SubVmContract
        {
            MainRequest = GenVm.Tests.Core.Supervisor.SubVmContract.Request("Sandbox", GenVm.Core.Calldata.CalldataValue.FromMap(("data", new byte[] { 0x10 }), ("allow_write_ops", false))),
        };
        var node = GenVm.Tests.Core.Supervisor.ContractRun.Deploy(contract.Compile());
        await using var host = TestHost.StartUnix();
        var (_, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host.Uri));
        var id = body!["id"]!.GetValue<ulong>();
        await host.AcceptAsync().WaitAsync(Guard);
        await node.ServeAsync(host, CancellationToken.None).WaitAsync(Guard);
        await server.Executions.Executions[id].Completion.WaitAsync(Guard);
        (_, body) = await server.GetAsync($"/genvm/{id}");

        var log = body!["status"]!["genvm_log"]!.AsArray().Select(r => r!.ToJsonString()).ToList();
        Assert.That(log, Has.Some.EqualTo("""{"level":"info","target":"GenVm.Host.Verbs.RunVerb","message":"sub-vm sandbox ended with Return"}"""));
        Assert.That(log[^1], Does.Contain("transaction finished with Return"));
    }

    // Runs the trivial contract through /genvm/run and returns the fetched genvm_log (null without capture).
    private static async Task<JsonArray?> RunTrivialAsync(ManagerServer server, bool capture)
    {
        var node = ManagerContracts.Deploy(ManagerContracts.Trivial);
        await using var host = TestHost.StartUnix();
        var (status, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host.Uri, capture: capture));
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        var id = body!["id"]!.GetValue<ulong>();
        await host.AcceptAsync().WaitAsync(Guard);
        await node.ServeAsync(host, CancellationToken.None).WaitAsync(Guard);
        await server.Executions.Executions[id].Completion.WaitAsync(Guard);
        (_, body) = await server.GetAsync($"/genvm/{id}");
        Assert.That(node.Result, Is.EqualTo(new byte[] { 0, 0 }));
        Assert.That(body!["status"]!["stdout"]!.GetValue<string>(), Is.EqualTo(capture ? "executed with `Return(\"\\x00\")`\n" : ""), body.ToJsonString());
        return body["status"]!["genvm_log"]?.AsArray();
    }
}
