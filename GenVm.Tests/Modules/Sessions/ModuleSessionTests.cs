using System.Text.Json.Nodes;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Core.Protocol;
using GenVm.Host.Configuration;
using GenVm.Modules.Llm;
using GenVm.Modules.Sessions;
using GenVm.Modules.Transport;
using GenVm.Tests.Core.Supervisor;
using GenVm.Tests.Modules.Llm;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Modules.Sessions;

/// <summary>
/// Executor runs (<c>genvm run</c> in-process against a <c>TestNode</c>, a WAT contract whose nondet leader sends
/// <c>ExecPrompt</c>) with the LLM module chosen by <c>modules.mode</c>: in process, or a real <c>genvm module llm</c>
/// process over WebSocket; the provider is a fake OpenAI-compatible server on 127.0.0.1.
/// </summary>
[TestFixture]
[Category("Network")]
public sealed class ModuleSessionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private readonly List<string> _files = [];

    [TearDown]
    public void DeleteFiles()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }

        _files.Clear();
    }

    private string WriteFile(string extension, string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "genvm-session-" + Guid.NewGuid().ToString("N") + extension);
        File.WriteAllText(path, text);
        _files.Add(path);
        return path;
    }

    private string LlmConfig(FakeProviderServer provider, string extra = "")
        => WriteFile(".yaml", $"""
            vm_count: 1
            backends:
              fake:
                provider: openai-compatible
                host: {provider.BaseUrl}
                key: session-test-key
                models:
                  m1: {"{"} supports_json: true {"}"}
            {extra}
            """);

    /// <summary>The provider's answer: the user text echoed, with token usage as the real API reports it.</summary>
    internal static Task OpenAiAnswer(RecordedRequest request, HttpContext context)
    {
        var user = request.Body!["messages"]!.AsArray()[^1]!["content"]!.AsArray()[0]!["text"]!.GetValue<string>();
        return FakeProviderServer.AnswerAsync(context, 200, new JsonObject
        {
            ["choices"] = new JsonArray(new JsonObject { ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "answer to " + user } }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 11, ["completion_tokens"] = 7 },
        });
    }

    /// <summary>The executor's modules as <c>genvm run</c> gets them from <c>genvm.yaml</c> keys.</summary>
    private static ServiceProvider ExecutorModulesFrom(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection().AddLogging().AddExecutorModules(configuration).BuildServiceProvider();
    }

    private static Task<ContractRun> RunPromptAsync(ILlmModule llm, string prompt, params string[] extraArgs)
    {
        var request = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", prompt), ("images", CalldataValue.FromArray()), ("response_format", "text")));
        var leader = SubVmContract.Request("RunNondet", CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 })));
        var contract = new SubVmContract { MainRequest = leader, Leaf = SubVmContract.ReturnLeafRequestFile, LeafRequest = request };
        return new ContractRun { Node = ContractRun.Deploy(contract.Compile()), Llm = llm, ExtraArgs = extraArgs }.RunAsync();
    }

    // The leader's gl_call answer file, returned by main as Bytes(00 + file).
    private static CalldataValue AnswerFile(ContractRun run)
    {
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.Return), run.ResultLine);
        var file = CalldataCodec.Decode(run.Node.Result.AsSpan(1)).AsBytes().ToArray();
        Assert.That(file[0], Is.EqualTo((byte)ResultCode.Return));
        return CalldataCodec.Decode(file.AsSpan(1));
    }

    [Test]
    public async Task Run_PromptThroughModuleProcess_SameResultAndProviderRequestAsInProcess()
    {
        await using var provider = await FakeProviderServer.StartAsync(OpenAiAnswer);
        var config = LlmConfig(provider);
        await using var inProcess = ExecutorModulesFrom(("modules:mode", "in-process"), ("modules:llm:config", config));
        await using var module = await ModuleProcess.StartAsync("llm", config);
        await using var remote = ExecutorModulesFrom(("modules:mode", "websocket"), ("modules:llm:address", module.Address.ToString()));

        var local = await RunPromptAsync(inProcess.GetRequiredService<ILlmModule>(), "what is 2+2?");
        var overWebSocket = await RunPromptAsync(remote.GetRequiredService<ILlmModule>(), "what is 2+2?");

        Assert.That(inProcess.GetRequiredService<ILlmModule>(), Is.InstanceOf<LlmModule>());
        Assert.That(remote.GetRequiredService<ILlmModule>(), Is.InstanceOf<WebSocketLlmModule>());
        Assert.That(AnswerFile(local), Is.EqualTo(CalldataValue.FromMap(("ok", "answer to what is 2+2?"))));
        Assert.That(AnswerFile(overWebSocket), Is.EqualTo(AnswerFile(local)));
        Assert.That(overWebSocket.Node.Result, Is.EqualTo(local.Node.Result));
        var bodies = provider.Requests.Select(r => r.Body!.ToJsonString()).ToList();
        Assert.That(bodies, Has.Count.EqualTo(2));
        Assert.That(bodies[1], Is.EqualTo(bodies[0]));
    }

    [Test]
    public async Task Run_HostDataAndCookie_ReachTheScriptInProcessAndOverWebSocket()
    {
        await using var provider = await FakeProviderServer.StartAsync(OpenAiAnswer);
        var script = WriteFile(".lua", """
            function ExecPrompt(ctx, args, remaining_gen)
              return { data = ctx.cookie .. "|" .. ctx.host_data.node_address .. "|" .. ctx.host_data.tx_id .. "|" .. tostring(ctx.host_data.extra) .. "|" .. args.prompt, consumed_gen = 0 }
            end
            function ExecPromptTemplate(ctx, args, remaining_gen)
              return { data = true, consumed_gen = 0 }
            end
            """);
        var config = LlmConfig(provider, $"lua_script_path: {script}");
        await using var inProcess = ExecutorModulesFrom(("modules:mode", "in-process"), ("modules:llm:config", config));
        await using var module = await ModuleProcess.StartAsync("llm", config);
        await using var remote = ExecutorModulesFrom(("modules:llm:address", module.Address.ToString()));
        string[] args = ["--host-data", """{"node_address":"0xnode","tx_id":"0xtx","extra":5}""", "--cookie", "c-42"];

        var local = await RunPromptAsync(inProcess.GetRequiredService<ILlmModule>(), "p", args);
        var overWebSocket = await RunPromptAsync(remote.GetRequiredService<ILlmModule>(), "p", args);

        Assert.That(AnswerFile(local), Is.EqualTo(CalldataValue.FromMap(("ok", "c-42|0xnode|0xtx|5|p"))));
        Assert.That(AnswerFile(overWebSocket), Is.EqualTo(AnswerFile(local)));
        Assert.That(provider.Requests, Is.Empty);
    }

    [Test]
    public async Task Run_ModuleKilledMidRequest_InternalErrorAndPromptNotResentAfterRestart()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var provider = await FakeProviderServer.StartAsync(async (r, c) =>
        {
            if (arrived.TrySetResult())
            {
                // The first prompt hangs at the provider until its module dies and the request is aborted.
                await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await OpenAiAnswer(r, c);
        });
        var config = LlmConfig(provider);
        var first = await ModuleProcess.StartAsync("llm", config);
        await using var firstGuard = first;
        await using var remote = ExecutorModulesFrom(("modules:llm:address", first.Address.ToString()));
        var llm = remote.GetRequiredService<ILlmModule>();
        var request = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "once"), ("images", CalldataValue.FromArray())));
        var leader = SubVmContract.Request("RunNondet", CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 })));
        var contract = new SubVmContract { MainRequest = leader, Leaf = SubVmContract.ReturnLeafRequestFile, LeafRequest = request };

        var killed = new ContractRun { Node = ContractRun.Deploy(contract.Compile()), Llm = llm };
        await killed.ExecuteAsync(async (_, _) =>
        {
            await arrived.Task.WaitAsync(Wait);
            await first.KillAsync();
        });
        await using var second = await ModuleProcess.StartAsync("llm", config, first.Address.Authority);
        var after = await RunPromptAsync(llm, "twice");

        // modules.md §5.6: a lost connection is fatal: the execution ends with an internal error.
        Assert.That(killed.ResultLine, Is.EqualTo("executed with `InternalError(\"\")`"));
        Assert.That(System.Text.Encoding.UTF8.GetString(killed.Node.Result.AsSpan(1)), Does.Contain("module at " + first.Address));
        Assert.That(second.Address, Is.EqualTo(first.Address));
        Assert.That(AnswerFile(after), Is.EqualTo(CalldataValue.FromMap(("ok", "answer to twice"))));

        // Exactly one request each: the prompt that met the dying module was never sent again.
        var prompts = provider.Requests.Select(r => r.Body!["messages"]!.AsArray()[^1]!["content"]!.AsArray()[0]!["text"]!.GetValue<string>()).ToList();
        Assert.That(prompts, Is.EqualTo(new[] { "once", "twice" }));
    }

    [Test]
    public async Task Session_ModuleKilledMidRequestAndRestarted_ReconnectsWithoutResending()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var provider = await FakeProviderServer.StartAsync(async (r, c) =>
        {
            if (arrived.TrySetResult())
            {
                await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await OpenAiAnswer(r, c);
        });
        var config = LlmConfig(provider);
        var first = await ModuleProcess.StartAsync("llm", config);
        await using var firstGuard = first;
        await using var remote = ExecutorModulesFrom(("modules:llm:address", first.Address.ToString()));
        var hello = new ModuleHello("c", CalldataValue.FromMap(("node_address", "n"), ("tx_id", "t")));
        await using var session = ModuleSession.Open(remote.GetRequiredService<ILlmModule>(), null, hello);
        var llm = (WebSocketLlmModule)session.Llm!;

        var pending = llm.PromptAsync(new LlmPromptPayload("one", [], LlmResponseFormat.Text), 0, CancellationToken.None);
        await arrived.Task.WaitAsync(Wait);
        await first.KillAsync();
        var failure = await Assert.ThrowsAsync<ModuleFatalException>(() => pending);
        await using var second = await ModuleProcess.StartAsync("llm", config, first.Address.Authority);
        var answer = await llm.PromptAsync(new LlmPromptPayload("two", [], LlmResponseFormat.Text), 0, CancellationToken.None);

        Assert.That(failure!.Message, Does.Contain(first.Address.ToString()));
        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("answer to two")));
        Assert.That(llm.Connection.Connects, Is.EqualTo(2));
        Assert.That(provider.Requests.Count, Is.EqualTo(2));
    }
}
