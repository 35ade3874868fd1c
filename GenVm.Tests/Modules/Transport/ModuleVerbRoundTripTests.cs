using System.Text;
using System.Text.Json.Nodes;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Host.Verbs;
using GenVm.Modules.Transport;
using GenVm.Tests.Modules.Llm;
using GenVm.Tests.Modules.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenVm.Tests.Modules.Transport;

/// <summary>
/// <c>genvm module llm|web</c> serving a module over a real WebSocket (modules.md §2), driven by the client adapters
/// that <c>AddLlmModule</c> / <c>AddWebModule</c> choose when <c>address</c> is set.
/// </summary>
[TestFixture]
[Category("Network")]
public sealed class ModuleVerbRoundTripTests
{
    private sealed class RunningVerb : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<int> _run;

        private RunningVerb(Task<int> run, CancellationTokenSource stop, Uri address, StringWriter stdout)
        {
            _run = run;
            _stop = stop;
            Address = address;
            Stdout = stdout;
        }

        public Uri Address { get; }

        public StringWriter Stdout { get; }

        public static async Task<RunningVerb> StartAsync(params string[] args)
        {
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var verb = new ModuleVerb(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr)) { Listening = a => listening.TrySetResult(a) };
            var stop = new CancellationTokenSource();
            var run = verb.RunCoreAsync(args, stop.Token);
            var first = await Task.WhenAny(listening.Task, run);
            if (first == run)
            {
                throw new InvalidOperationException($"verb exited with {await run}: {stderr}");
            }

            return new RunningVerb(run, stop, await listening.Task, stdout);
        }

        public async Task<int> StopAsync()
        {
            await _stop.CancelAsync();
            return await _run;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_run.IsCompleted)
            {
                await StopAsync();
            }

            _stop.Dispose();
        }
    }

    private static string WriteConfig(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), "genvm-module-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static ServiceProvider Client(string kind, Uri address, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["address"] = address.ToString(), ["host_data:node_address"] = "0xnode", ["host_data:tx_id"] = "0xtx" };
        foreach (var (k, v) in extra)
        {
            settings[k] = v;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (kind == "llm")
        {
            services.AddLlmModule(config);
        }
        else
        {
            services.AddWebModule(config);
        }

        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    private static Task OllamaAnswer(Microsoft.AspNetCore.Http.HttpContext c, string text)
        => FakeProviderServer.AnswerAsync(c, 200, new JsonObject { ["model"] = "m", ["response"] = text, ["done"] = true });

    [Test]
    public async Task LlmVerb_PromptOverWebSocket_MatchesInProcessAnswerAndUsesTemplatedKey()
    {
        var keyVariable = "GENVM_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(keyVariable, "secret-from-env");
        await using var provider = await FakeProviderServer.StartAsync((r, c) => OllamaAnswer(c, r.Body!["model"]!.GetValue<string>() + " says hi"));
        var config = WriteConfig($$"""
            bind_address: 127.0.0.1:1
            vm_count: 2
            backends:
              local:
                provider: ollama
                host: {{provider.BaseUrl}}
                key: ${ENV[{{keyVariable}}]}
                models:
                  "llama3:8b":
                    supports_json: true
            """);
        await using var verb = await RunningVerb.StartAsync("llm", "--config", config, "--listen", "127.0.0.1:0");
        await using var client = Client("llm", verb.Address);
        var llm = client.GetRequiredService<ILlmModule>();

        var answer = await llm.PromptAsync(new LlmPromptPayload("  hello\u200B ", [], LlmResponseFormat.Text), 5, CancellationToken.None);
        var template = await llm.PromptTemplateAsync(new EqNonComparativeLeaderTemplate("t", "c", "i"), 5, CancellationToken.None);
        var stats = await llm.GetStatsAsync(CancellationToken.None);

        Assert.That(verb.Stdout.ToString(), Does.StartWith("listening on ws://127.0.0.1:"));
        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("llama3:8b says hi")));
        Assert.That(template.Value!.Data, Is.EqualTo(CalldataValue.FromString("llama3:8b says hi")));
        Assert.That(provider.Requests.First().Body!["prompt"]!.GetValue<string>(), Is.EqualTo("hello"));
        Assert.That(stats.AsMap()["prompts"].AsNumber(), Is.EqualTo(new System.Numerics.BigInteger(2)));
        Assert.That(client.GetRequiredService<ILlmModule>(), Is.InstanceOf<WebSocketLlmModule>());
        using var http = new HttpClient();
        Assert.That(await http.GetStringAsync(new Uri("http" + verb.Address.ToString()[2..].TrimEnd('/') + "/health")), Is.EqualTo("ok"));
        Assert.That(await verb.StopAsync(), Is.Zero);
        File.Delete(config);
    }

    [Test]
    public async Task LlmVerb_AllBackendsFail_IsFatalErrorOverTheWireWithoutTheKey()
    {
        await using var provider = await FakeProviderServer.StartAsync((_, c) => FakeProviderServer.AnswerAsync(c, 500, new JsonObject { ["error"] = "down" }));
        var config = WriteConfig($"""
            backends:
              local:
                provider: ollama
                host: {provider.BaseUrl}
                key: very-secret-key
                models:
                  m: {"{}"}
            """);
        await using var verb = await RunningVerb.StartAsync("llm", "--config", config, "--listen", "127.0.0.1:0");
        await using var client = Client("llm", verb.Address);

        var e = await Assert.ThrowsAsync<ModuleFatalException>(() => client.GetRequiredService<ILlmModule>()
            .PromptAsync(new LlmPromptPayload("x", [], LlmResponseFormat.Text), 0, CancellationToken.None));

        Assert.That(e!.Message, Does.StartWith("module error: NO_PROVIDER_FOR_PROMPT").And.Contain("500").And.Not.Contain("very-secret-key"));
        File.Delete(config);
    }

    [Test]
    public async Task LlmVerb_ModuleRestartedBetweenRequests_ClientReconnectsWithoutResendingTheFailedPrompt()
    {
        await using var provider = await FakeProviderServer.StartAsync((_, c) => OllamaAnswer(c, "again"));
        var config = WriteConfig($"""
            backends:
              local: {"{"} provider: ollama, host: "{provider.BaseUrl}", key: k, models: {"{"} m: {"{}"} {"}"} {"}"}
            """);
        var first = await RunningVerb.StartAsync("llm", "--config", config, "--listen", "127.0.0.1:0");
        await using var client = Client("llm", first.Address);
        var llm = (WebSocketLlmModule)client.GetRequiredService<ILlmModule>();
        var prompt = new LlmPromptPayload("p", [], LlmResponseFormat.Text);
        Assert.That((await llm.PromptAsync(prompt, 0, CancellationToken.None)).Value!.Data, Is.EqualTo(CalldataValue.FromString("again")));
        await first.DisposeAsync();
        await using var second = await RunningVerb.StartAsync("llm", "--config", config, "--listen", first.Address.Authority);
        var sentBefore = provider.Requests.Count;

        try
        {
            await llm.PromptAsync(prompt, 0, CancellationToken.None);
        }
        catch (ModuleFatalException)
        {
            // The request that met the dead connection fails; it is not re-sent.
        }

        var answer = await llm.PromptAsync(prompt, 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("again")));
        Assert.That(llm.Connection.Connects, Is.EqualTo(2));
        Assert.That(provider.Requests.Count - sentBefore, Is.InRange(1, 2));
        File.Delete(config);
    }

    [Test]
    public async Task WebVerb_RequestAndPolicyErrorOverWebSocket_MatchInProcess()
    {
        await using var site = await WebModuleTests.SiteAsync();
        var config = WriteConfig("""
            always_allow_hosts: ["127.0.0.1"]
            browser: none
            vm_count: 1
            """);
        await using var verb = await RunningVerb.StartAsync("web", "--config", config, "--listen", "127.0.0.1:0");
        await using var client = Client("web", verb.Address);
        await using var local = WebModuleTests.Build(("browser", "none"));
        var request = new WebHttpRequest("POST", site.Url + "/echo", new Dictionary<string, ReadOnlyMemory<byte>> { ["x-a"] = "1"u8.ToArray() }, "b"u8.ToArray(), false);
        var render = new WebRenderRequest(RenderMode.Text, "http://127.0.0.2/", TimeSpan.FromMilliseconds(1500));

        var remote = await client.GetRequiredService<IWebModule>().RequestAsync(request, CancellationToken.None);
        var inProcess = await local.GetRequiredService<IWebModule>().RequestAsync(request, CancellationToken.None);
        var refused = await client.GetRequiredService<IWebModule>().RenderAsync(render, CancellationToken.None);
        var refusedLocally = await local.GetRequiredService<IWebModule>().RenderAsync(render, CancellationToken.None);

        Assert.That(remote.Value!.Status, Is.EqualTo(200));
        Assert.That(Encoding.UTF8.GetString(remote.Value.Body.Span), Is.EqualTo("POST /echo 1 b"));
        Assert.That(remote.Value.ToCalldata().AsMap()["response"].AsMap()["body"], Is.EqualTo(inProcess.Value!.ToCalldata().AsMap()["response"].AsMap()["body"]));
        Assert.That(refused.UserError, Is.EqualTo(refusedLocally.UserError));
        Assert.That(refused.UserError!.AsMap()["causes"], Is.EqualTo(CalldataValue.FromArray(CalldataValue.FromString("TLD_FORBIDDEN"))));
        File.Delete(config);
    }

    [Test]
    public async Task Verb_BadArguments_ExitWithUsage()
    {
        var stderr = new StringWriter();
        var verb = new ModuleVerb(new StringWriter(), stderr);

        Assert.That(await verb.RunCoreAsync(["nope"], CancellationToken.None), Is.EqualTo(2));
        Assert.That(await verb.RunCoreAsync(["llm", "--config", "/nonexistent/genvm.yaml"], CancellationToken.None), Is.EqualTo(1));
        Assert.That(stderr.ToString(), Does.Contain("usage: genvm module"));
    }

    [Test]
    public async Task Verb_BadThreadsInConfig_RefusedBeforeListening()
    {
        var config = Path.GetTempFileName();
        try
        {
            // config.md §2 base keys: a count that is not a whole number >= 1 fails at start-up (BaseRuntimeKeys).
            File.WriteAllText(config, "threads: 4\nblocking_threads: 0\nlog_disable: \"\"\n");
            var stderr = new StringWriter();
            var verb = new ModuleVerb(new StringWriter(), stderr);

            Assert.That(await verb.RunCoreAsync(["web", "--config", config, "--listen", "127.0.0.1:0"], CancellationToken.None), Is.EqualTo(1));
            Assert.That(stderr.ToString(), Is.EqualTo("genvm module web: config: blocking_threads: `0` is not a whole number of at least 1\n"));
        }
        finally
        {
            File.Delete(config);
        }
    }
}
