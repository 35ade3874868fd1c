using System.Globalization;
using System.Text.Json.Nodes;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using GenVm.Tests.Modules.Llm;
using GenVm.Host.Manager;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Host.Manager;

/// <summary>
/// The whole host in the test process, as a node uses it: the manager on 127.0.0.1 (random port), its in-process LLM
/// and web modules started over HTTP and pointed at a local fake OpenAI-compatible provider and a local page, and
/// executions of WAT contracts (and Python contracts, with the packed runners) against a <see cref="TestNode"/>.
/// </summary>
[TestFixture]
[Category("Executor")]
[Category("Network")]
public sealed class ManagerIntegrationTests
{
    private const string PageText = "the price of tea is 42";

    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);

    private FakeProviderServer _llm = null!;
    private FakeProviderServer _site = null!;

    [OneTimeSetUp]
    public async Task StartFakesAsync()
    {
        _llm = await FakeProviderServer.StartAsync((request, context) =>
        {
            // The reply names the prompt so a test sees that its own prompt reached the provider.
            var prompt = request.Body?["messages"]?[0]?["content"]?[0]?["text"]?.GetValue<string>() ?? "";
            return FakeProviderServer.AnswerAsync(context, 200, new JsonObject
            {
                ["id"] = "chatcmpl-1",
                ["object"] = "chat.completion",
                ["choices"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "answer to: " + prompt },
                        ["finish_reason"] = "stop",
                    },
                },
                ["usage"] = new JsonObject { ["prompt_tokens"] = 5, ["completion_tokens"] = 2 },
            });
        });
        _site = await FakeProviderServer.StartAsync((_, context) =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(PageText, context.RequestAborted);
        });
    }

    [OneTimeTearDown]
    public async Task StopFakesAsync()
    {
        await _llm.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Test]
    public async Task Run_WatLeaderPrompt_InProcessLlmModuleAsksFakeProvider()
    {
        await using var server = await ManagerServer.StartAsync();
        await StartModulesAsync(server);
        var before = _llm.Requests.Count;
        var prompt = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "what is tea?"), ("images", CalldataValue.FromArray()), ("response_format", "text")));

        var (node, status) = await RunAsync(server, LeaderContract(prompt));

        Assert.That(AnswerFile(node), Is.EqualTo(CalldataValue.FromMap(("ok", "answer to: what is tea?"))));
        Assert.That(_llm.Requests.Count, Is.EqualTo(before + 1));
        Assert.That(_llm.Requests.Last().Path, Is.EqualTo("/v1/chat/completions"));
        Assert.That(status["stdout"]!.GetValue<string>(), Does.StartWith("executed with `Return("));
        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(metrics, Does.Contain("genvm_manager_module_calls_total{module=\"llm\"} 1\n"));
        Assert.That(metrics, Does.Contain("genvm_manager_module_failures_total{module=\"llm\"} 0\n"));
    }

    [Test]
    public async Task Run_WatLeaderPrompt_ScriptSeesTheExecutionsCookieAndHostDataAndCallIsCounted()
    {
        // The manager counts module calls by wrapping each execution's module session; the session must still reach the
        // in-process module, so the Lua ctx carries this execution's Hello (modules.md §2.3, §5.1).
        var script = Path.Combine(Path.GetTempPath(), $"genvm-manager-hello-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, """
            function ExecPrompt(ctx, args, remaining_gen)
              return { data = ctx.cookie .. "|" .. ctx.host_data.node_address .. "|" .. ctx.host_data.tx_id .. "|" .. args.prompt, consumed_gen = 0 }
            end
            function ExecPromptTemplate(ctx, args, remaining_gen)
              return { data = true, consumed_gen = 0 }
            end
            """);
        try
        {
            await using var server = await ManagerServer.StartAsync();
            var config = JsonNode.Parse(LlmConfig("sk-integ"))!.AsObject();
            config["config"]!["lua_script_path"] = script;
            Expect(await server.PostJsonAsync("/module/start", config.ToJsonString()), 200, """{"result":"module_started"}""");
            var prompt = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "hi"), ("images", CalldataValue.FromArray()), ("response_format", "text")));

            var (node, _) = await RunAsync(server, LeaderContract(prompt));

            // The cookie is the execution id (ExecutionRequest passes --cookie=<genvm id>).
            var answer = AnswerFile(node).AsMap()["ok"].AsString();
            Assert.That(answer, Does.Match(@"^[0-9]+\|0x0000000000000000000000000000000000000001\|0x02\|hi$"));
            var metrics = server.App.Services.GetRequiredService<ManagerMetrics>();
            Assert.That((metrics.ModuleCalls(ModuleKind.Llm), metrics.ModuleFailures(ModuleKind.Llm)), Is.EqualTo((1L, 0L)));
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Test]
    public async Task Run_WatLeaderWebRequest_InProcessWebModuleFetchesLocalPage()
    {
        await using var server = await ManagerServer.StartAsync();
        await StartModulesAsync(server);
        var get = SubVmContract.Request("WebRequest", CalldataValue.FromMap(("method", "GET"), ("url", _site.BaseUrl + "/tea"), ("headers", CalldataMap.Create([]))));

        var (node, _) = await RunAsync(server, LeaderContract(get));

        var response = AnswerFile(node).AsMap()["ok"].AsMap()["response"].AsMap();
        Assert.That(response["status"].AsNumber(), Is.EqualTo((System.Numerics.BigInteger)200));
        Assert.That(System.Text.Encoding.UTF8.GetString(response["body"].AsBytes().Span), Is.EqualTo(PageText));
        Assert.That(_site.Requests.Any(r => r.Path == "/tea"), Is.True);
    }

    [Test]
    public async Task Run_WatLeaderRequestsForbiddenHost_ErrorAnswerCountedAsModuleFailure()
    {
        await using var server = await ManagerServer.StartAsync();
        await StartModulesAsync(server);
        var get = SubVmContract.Request("WebRequest", CalldataValue.FromMap(("method", "GET"), ("url", "http://tea.invalid/"), ("headers", CalldataMap.Create([]))));

        var (node, _) = await RunAsync(server, LeaderContract(get));

        Assert.That(AnswerFile(node).AsMap().ContainsKey("error"), Is.True);
        var metrics = server.App.Services.GetRequiredService<ManagerMetrics>();
        Assert.That((metrics.ModuleCalls(ModuleKind.Web), metrics.ModuleFailures(ModuleKind.Web)), Is.EqualTo((1L, 1L)));
        Assert.That((metrics.ModuleCalls(ModuleKind.Llm), metrics.ModuleFailures(ModuleKind.Llm)), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task Run_LlmModuleStopped_ModuleCallIsInternalError()
    {
        // manager.md §5.3: modules are independent of executions; without one the next module call fails (fatal).
        await using var server = await ManagerServer.StartAsync();
        await StartModulesAsync(server);
        var (code, body) = await server.PostJsonAsync("/module/stop", """{"module_type":"Llm"}""");
        Assert.That((code, body!.ToJsonString()), Is.EqualTo((200, """{"result":"module_stopped"}""")));
        var prompt = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "x"), ("images", CalldataValue.FromArray()), ("response_format", "text")));

        var (node, status) = await RunAsync(server, LeaderContract(prompt));

        Assert.That(node.Result![0], Is.EqualTo((byte)ResultCode.VmError), status.ToJsonString()); // InternalError is never sent on the wire (protocol/constants.json)
        Assert.That(status["stdout"]!.GetValue<string>(), Does.EndWith("executed with `InternalError(\"\")`\n"));
    }

    [Test]
    public async Task Endpoints_NodeLifecycle_EveryRouteAnswersAsSpecified()
    {
        // One session touching every endpoint of manager.md §4 (plus /metrics) in the order a node would.
        await using var server = await ManagerServer.StartAsync(o => o.Permits = 4);
        var env = "GENVM_INTEG_KEY_" + Guid.NewGuid().ToString("N");
        try
        {
            Expect(await server.PostJsonAsync("/env", $$"""{"key":"{{env}}","value":"sk-integ"}"""), 200, $$"""{"result":"env_var_set","key":"{{env}}"}""");
            Expect(await server.PostJsonAsync("/module/start", LlmConfig("${ENV[" + env + "]}")), 200, """{"result":"module_started"}""");
            Expect(await server.PostJsonAsync("/module/start", WebConfig()), 200, """{"result":"module_started"}""");

            var (code, body) = await server.GetAsync("/status");
            Assert.That(code, Is.EqualTo(200));
            Assert.That(body!.ToJsonString(), Is.EqualTo("""{"llm_module":"running","web_module":"running","permits":{"current":4,"max":4},"executions":{}}"""));

            (code, body) = await server.PostJsonAsync("/llm/check", $$"""
                {"configs":[{"host":"{{_llm.BaseUrl}}","provider":"openai-compatible","model":"m","key":"${ENV[{{env}}]}"}],
                 "test_prompts":[{"system_message":null,"user_message":"ping","temperature":0,"images":[],"max_tokens":5,"use_max_completion_tokens":false}]}
                """);
            Assert.That((code, body!.ToJsonString()), Is.EqualTo((200, """[{"config_index":0,"prompt_index":0,"available":true,"error":null,"response":"answer to: ping"}]""")));
            Assert.That(_llm.Requests.Last().Headers["authorization"], Is.EqualTo("Bearer sk-integ"));

            var code0 = "# v0.1.0\n# { \"Depends\": \"py-genlayer:test\" }\n"u8.ToArray();
            Expect(await server.PostCodeAsync("/contract/detect-version", code0, "2025-01-01T00:00:00Z"), 200, """{"specified_major":0}""");
            (code, body) = await server.PostCodeAsync("/contract/pre-deploy-writes", code0, "2025-01-01T00:00:00Z");
            Assert.That(code, Is.EqualTo(200));
            var writes = body!["writes"]!.AsArray();
            Assert.That(writes, Has.Count.EqualTo(2));
            Assert.That(Convert.FromBase64String(writes[1]![1]!.GetValue<string>()), Is.EqualTo(code0));

            var schema = CalldataCodec.Encode(CalldataValue.FromMap(("Return", CalldataValue.FromString("{}"))));
            (code, body) = await server.PostCodeAsync("/genvm/run/readonly", Wasm.WatCompiler.Compile(ReturnCalldata(schema)), "2025-01-01T00:00:00Z");
            Assert.That((code, body!.ToJsonString()), Is.EqualTo((200, """{"schema":"{}"}""")));

            var prompt = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "hi"), ("images", CalldataValue.FromArray()), ("response_format", "text")));
            var (node, _) = await RunAsync(server, LeaderContract(prompt));
            Assert.That(AnswerFile(node), Is.EqualTo(CalldataValue.FromMap(("ok", "answer to: hi"))));

            Expect(await server.DeleteAsync("/genvm/999"), 200, """{"error":"GenVM with id 999 not found","genvm_id":999}""");
            Expect(await server.GetAsync("/permits"), 200, """{"permits":4}""");
            Expect(await server.PostJsonAsync("/permits", """{"permits":6}"""), 200, """{"result":"permits_set","permits":6}""");
            Expect(await server.PostJsonAsync("/permits", """{"permits":1}"""), 200, """{"result":"permits_set","permits":6}""");
            Expect(await server.PostJsonAsync("/log/level", """{"level":"WARNING"}"""), 200, """{"result":"log_level_set","level":"Warn"}""");
            Expect(await server.PostJsonAsync("/manifest/reload", ""), 200, """{"result":"manifest_reloaded"}""");

            var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.That(metrics, Does.Contain("genvm_manager_executions_started_total 1\n"));

            Expect(await server.PostJsonAsync("/module/stop", """{"module_type":"llm"}"""), 200, """{"result":"module_stopped"}""");
            Expect(await server.PostJsonAsync("/module/stop", """{"module_type":"Web"}"""), 200, """{"result":"module_stopped"}""");
            (_, body) = await server.GetAsync("/status");
            Assert.That(body!["llm_module"]!.GetValue<string>(), Is.EqualTo("stopped"));
            Assert.That(body["web_module"]!.GetValue<string>(), Is.EqualTo("stopped"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(env, null);
        }
    }

    [TestCase("/module/start")]
    [TestCase("/module/stop")]
    [TestCase("/genvm/run")]
    [TestCase("/log/level")]
    [TestCase("/env")]
    [TestCase("/permits")]
    [TestCase("/llm/check")]
    public async Task Post_BadJson_400InvalidJsonBody(string path)
    {
        // decisions.md: malformed requests are 400 (the reference's are 500 with an unspecified text).
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync(path, """{"module_type":""");

        Assert.That(status, Is.EqualTo(400), body?.ToJsonString());
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith("invalid JSON body"));
        Assert.That(server.Executions.Executions, Is.Empty);
    }

    [TestCase("/module/start", """{"module_type":"Embeddings","config":null}""")]
    [TestCase("/module/stop", """{"module_type":"WEB"}""")]
    public async Task Post_UnknownModuleType_400UnknownVariant(string path, string json)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync(path, json);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith("unknown variant"));
        (_, body) = await server.GetAsync("/status");
        Assert.That(body!["llm_module"]!.GetValue<string>(), Is.EqualTo("stopped"));
        Assert.That(body["web_module"]!.GetValue<string>(), Is.EqualTo("stopped"));
    }

    [Test]
    [Category("Toolchain")]
    public async Task Run_PythonContractReadsPageAndAsksLlm_ThroughTheManagersModules()
    {
        RequireRunners();
        await using var server = await ManagerServer.StartAsync();
        await StartModulesAsync(server);
        var node = new TestNode { ContractHex = ContractRun.ContractHex, Calldata = CalldataCodec.Encode(CalldataMap.Create([])) };
        ContractRun.DeployAt(node, ContractRun.ContractHex, System.Text.Encoding.UTF8.GetBytes(PythonOracle));

        var deployed = await ServeAsync(server, node, PythonRunBody(isInit: true));
        Assert.That(node.Result![0], Is.EqualTo((byte)ResultCode.Return), deployed["stdout"]!.GetValue<string>() + deployed["stderr"]!.GetValue<string>());

        node.Calldata = CalldataCodec.Encode(CalldataValue.FromMap(("method", "ask"), ("args", CalldataValue.FromArray(_site.BaseUrl + "/price"))));
        var asked = await ServeAsync(server, node, PythonRunBody(isInit: false));

        Assert.That(node.Result![0], Is.EqualTo((byte)ResultCode.Return), asked["stdout"]!.GetValue<string>() + asked["stderr"]!.GetValue<string>());
        Assert.That(CalldataCodec.Decode(node.Result.AsSpan(1)), Is.EqualTo(CalldataValue.FromString("answer to: summarise: " + PageText)));
        Assert.That(_site.Requests.Any(r => r.Path == "/price"), Is.True);
    }

    [Test]
    [Category("Toolchain")]
    public async Task Delete_RunningPythonContract_EndsAsTimeoutAndGivesPermitsBack()
    {
        RequireRunners();
        await using var server = await ManagerServer.StartAsync();
        var node = new TestNode { ContractHex = ContractRun.ContractHex, Calldata = CalldataCodec.Encode(CalldataValue.FromMap(("method", "spin"), ("args", CalldataValue.FromArray()))) };
        ContractRun.DeployAt(node, ContractRun.ContractHex, System.Text.Encoding.UTF8.GetBytes(PythonOracle));
        await using var host = TestHost.StartUnix();

        var (code, body) = await server.PostJsonAsync("/genvm/run", PythonRunBody(isInit: false, host.Uri));
        Assert.That(code, Is.EqualTo(200), body?.ToJsonString());
        var id = body!["id"]!.GetValue<ulong>();
        await host.AcceptAsync().WaitAsync(Guard);
        var serve = node.ServeAsync(host, CancellationToken.None);
        await Eventually.TrueAsync(() => server.Executions.Executions[id].Stdout.Length > 0, timeoutSeconds: 180); // "spinning"
        Assert.That(server.Permits.Available, Is.EqualTo(2));

        (code, body) = await server.DeleteAsync(string.Create(CultureInfo.InvariantCulture, $"/genvm/{id}?wait_timeout_ms=60000"));

        Assert.That((code, body!.ToJsonString()), Is.EqualTo((200, $$"""{"result":"shutdown_completed","genvm_id":{{id}}}""")));
        await serve.WaitAsync(Guard);
        Assert.That(node.Result![0], Is.EqualTo((byte)ResultCode.VmError));
        await server.Executions.Executions[id].Completion.WaitAsync(Guard);
        (_, body) = await server.GetAsync($"/genvm/{id}");
        Assert.That(body!["status"]!["stdout"]!.GetValue<string>(), Is.EqualTo("spinning\nexecuted with `VMError(\"timeout\")`\n"));
        Assert.That(server.Permits.Available, Is.EqualTo(4));
    }

    /// <summary>A contract that reads a page and asks the LLM about it in a leader-only nondet block, and one that spins.</summary>
    private const string PythonOracle = """
        # { "Depends": "py-genlayer:test" }
        from genlayer import *


        class Oracle(gl.Contract):
            answer: str

            def __init__(self):
                self.answer = ""

            @gl.public.write
            def ask(self, url: str) -> str:
                def leader() -> str:
                    page = gl.nondet.web.get(url).body.decode()
                    return gl.nondet.exec_prompt("summarise: " + page)

                self.answer = gl.eq_principle.strict_eq(leader)
                return self.answer

            @gl.public.write
            def spin(self) -> None:
                print("spinning", flush=True)
                while True:
                    pass
        """;

    private static void RequireRunners()
    {
        var runners = Environment.GetEnvironmentVariable("GENVM_RUNNERS_DIR") ?? "";
        if (runners.Length == 0 || !File.Exists(Path.Combine(runners, "runners-manifest.json")))
        {
            Assert.Ignore("GENVM_RUNNERS_DIR with a runners-manifest.json is not set (bash runners/build-runners.sh; CI does)");
        }
    }

    private static string PythonRunBody(bool isInit, string host = "{HOST}")
    {
        var message = ContractRun.MessageJson.Replace("\"is_init\":false", "\"is_init\":" + (isInit ? "true" : "false"), StringComparison.Ordinal);
        return ManagerContracts.RunBody(host, isSync: false, extraArgs: """["--print=result","--debug-mode"]""", message: message);
    }

    private async Task StartModulesAsync(ManagerServer server)
    {
        Expect(await server.PostJsonAsync("/module/start", LlmConfig("sk-integ")), 200, """{"result":"module_started"}""");
        Expect(await server.PostJsonAsync("/module/start", WebConfig()), 200, """{"result":"module_started"}""");
    }

    private string LlmConfig(string key)
        => new JsonObject
        {
            ["module_type"] = "Llm",
            ["config"] = new JsonObject
            {
                ["backends"] = new JsonObject
                {
                    ["fake"] = new JsonObject
                    {
                        ["host"] = _llm.BaseUrl,
                        ["provider"] = "openai-compatible",
                        ["key"] = key,
                        ["models"] = new JsonObject { ["m"] = new JsonObject { ["supports_json"] = true } },
                    },
                },
            },
        }.ToJsonString();

    private static string WebConfig() => """{"module_type":"Web","config":{"always_allow_hosts":["127.0.0.1"]}}""";

    private static void Expect((int Status, JsonNode? Body) answer, int status, string body)
        => Assert.That((answer.Status, answer.Body?.ToJsonString()), Is.EqualTo((status, body)));

    // A nondet leader block whose leaf sends `request` and returns the answer file; the main VM returns it as Bytes.
    private static byte[] LeaderContract(CalldataValue request)
        => new SubVmContract
        {
            MainRequest = SubVmContract.Request("RunNondet", CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 }))),
            Leaf = SubVmContract.ReturnLeafRequestFile,
            LeafRequest = request,
        }.Compile();

    private static string ReturnCalldata(byte[] payload)
        => $$"""
            (module
              (import "genlayer_sdk" "gl_call" (func $gl_call (param i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 100) "{{string.Concat(payload.Select(b => "\\" + b.ToString("x2", CultureInfo.InvariantCulture)))}}")
              (func (export "_start")
                (drop (call $gl_call (i32.const 100) (i32.const {{payload.Length}}) (i32.const 4000)))
                unreachable))
            """;

    // The leader's answer file: main returned Bytes(00 + file).
    private static CalldataValue AnswerFile(TestNode node)
    {
        Assert.That(node.Result![0], Is.EqualTo((byte)ResultCode.Return));
        var file = CalldataCodec.Decode(node.Result.AsSpan(1)).AsBytes().ToArray();
        Assert.That(file[0], Is.EqualTo((byte)ResultCode.Return));
        return CalldataCodec.Decode(file.AsSpan(1));
    }

    private static async Task<(TestNode Node, JsonObject Status)> RunAsync(ManagerServer server, byte[] code)
    {
        var node = ContractRun.Deploy(code);
        return (node, await ServeAsync(server, node, ManagerContracts.RunBody("{HOST}")));
    }

    // Starts the run of `body` (its "{HOST}" replaced by a fresh host socket), serves it with `node`, and fetches its status.
    private static async Task<JsonObject> ServeAsync(ManagerServer server, TestNode node, string body)
    {
        await using var host = TestHost.StartUnix();
        var (code, started) = await server.PostJsonAsync("/genvm/run", body.Replace("{HOST}", host.Uri, StringComparison.Ordinal));
        Assert.That(code, Is.EqualTo(200), started?.ToJsonString());
        var id = started!["id"]!.GetValue<ulong>();
        await host.AcceptAsync().WaitAsync(Guard);
        await node.ServeAsync(host, CancellationToken.None).WaitAsync(Guard);
        await server.Executions.Executions[id].Completion.WaitAsync(Guard);
        var (_, fetched) = await server.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/genvm/{id}"));
        return fetched!["status"]!.AsObject();
    }
}
