namespace GenVm.Tests.Host.Manager;

[TestFixture]
public sealed class ModuleEndpointsTests
{
    private const string EmptyLlm = """{"module_type":"Llm","config":{"backends":{}},"allow_empty_backends":true}""";

    [TestCase("Llm")]
    [TestCase("llm")]
    public async Task StartStop_Llm_StatusFollows(string moduleType)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/module/start", EmptyLlm.Replace("\"Llm\"", $"\"{moduleType}\"", StringComparison.Ordinal));
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"result":"module_started"}"""));
        (_, body) = await server.GetAsync("/status");
        Assert.That(body!["llm_module"]!.GetValue<string>(), Is.EqualTo("running"));
        Assert.That(body["web_module"]!.GetValue<string>(), Is.EqualTo("stopped"));

        (status, body) = await server.PostJsonAsync("/module/start", EmptyLlm);
        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"module_already_running"}"""));

        (status, body) = await server.PostJsonAsync("/module/stop", $$"""{"module_type":"{{moduleType}}"}""");
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"result":"module_stopped"}"""));
        (_, body) = await server.GetAsync("/status");
        Assert.That(body!["llm_module"]!.GetValue<string>(), Is.EqualTo("stopped"));

        (_, body) = await server.PostJsonAsync("/module/stop", """{"module_type":"Llm"}""");
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"result":"module_not_running"}"""));
    }

    [Test]
    public async Task Start_LlmWithoutBackends_500FailedToStart()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/module/start", """{"module_type":"Llm","config":{"backends":{}}}""");

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"module_failed_to_start"}"""));
        (_, body) = await server.GetAsync("/status");
        Assert.That(body!["llm_module"]!.GetValue<string>(), Is.EqualTo("stopped"));
    }

    [Test]
    public async Task Start_LlmConfigUsesEnvTemplate_BackendKeyFromPostEnv()
    {
        await using var server = await ManagerServer.StartAsync();
        var name = "GENVM_TEST_KEY_" + Guid.NewGuid().ToString("N");
        var (status, body) = await server.PostJsonAsync("/env", $$"""{"key":"{{name}}","value":"secret"}""");
        Assert.That((status, body!.ToJsonString()), Is.EqualTo((200, $$"""{"result":"env_var_set","key":"{{name}}"}""")));
        var config = """{"module_type":"Llm","config":{"backends":{"local":{"host":"http://127.0.0.1:9","provider":"openai-compatible","key":"${ENV[NAME]}","models":{"m":{}}}}}}"""
            .Replace("NAME", name, StringComparison.Ordinal);

        (status, body) = await server.PostJsonAsync("/module/start", config);

        Assert.That((status, body!.ToJsonString()), Is.EqualTo((200, """{"result":"module_started"}""")));
        Environment.SetEnvironmentVariable(name, null);
    }

    [Test]
    public async Task Start_UnknownTemplateVariable_500FailedToStart()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/module/start", """{"module_type":"Llm","config":{"lua_path":"${nope}","backends":{}},"allow_empty_backends":true}""");

        Assert.That((status, body!.ToJsonString()), Is.EqualTo((500, """{"error":"module_failed_to_start"}""")));
    }

    [Test]
    public async Task Start_WithBindAddress_ListensForExecutorProcesses()
    {
        await using var server = await ManagerServer.StartAsync();
        var port = FreePort();

        var (status, body) = await server.PostJsonAsync("/module/start", """{"module_type":"Llm","config":{"bind_address":"127.0.0.1:PORT","backends":{}},"allow_empty_backends":true}""".Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        Assert.That((status, body!.ToJsonString()), Is.EqualTo((200, """{"result":"module_started"}""")));
        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            Assert.That(client.Connected, Is.True);
        }

        await server.PostJsonAsync("/module/stop", """{"module_type":"Llm"}""");
    }

    [Test]
    public async Task Start_WithBindAddress_CallsOfExecutorProcessesCountInMetrics()
    {
        // An executor process reaches the manager's module through its listener (modules.md §2); /metrics counts those
        // calls like an in-process execution's (GetStats is not a call).
        await using var server = await ManagerServer.StartAsync();
        var port = FreePort();
        var (status, _) = await server.PostJsonAsync("/module/start", """{"module_type":"web","config":{"bind_address":"127.0.0.1:PORT","browser":"none"}}""".Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.That(status, Is.EqualTo(200));
        var options = new GenVm.Modules.Transport.RemoteModuleOptions { Address = $"ws://127.0.0.1:{port}" };
        await using (var client = new GenVm.Modules.Transport.WebSocketWebModule(options, new GenVm.Core.Modules.ModuleHello("metrics", GenVm.Core.Calldata.CalldataMap.Empty)))
        {
            var request = new GenVm.Core.Modules.WebHttpRequest("GET", "http://tea.invalid/", new Dictionary<string, ReadOnlyMemory<byte>>(), null, false);

            var answer = await client.RequestAsync(request, CancellationToken.None);
            await client.GetStatsAsync(CancellationToken.None);

            Assert.That(answer.IsOk, Is.False);
        }

        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(metrics, Does.Contain("genvm_manager_module_calls_total{module=\"web\"} 1\n"));
        Assert.That(metrics, Does.Contain("genvm_manager_module_failures_total{module=\"web\"} 1\n"));
        Assert.That(metrics, Does.Contain("genvm_manager_module_calls_total{module=\"llm\"} 0\n"));
        await server.PostJsonAsync("/module/stop", """{"module_type":"Web"}""");
    }

    [Test]
    public async Task Start_BindAddressInUse_500FailedToStart()
    {
        await using var server = await ManagerServer.StartAsync();
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;

        var (status, body) = await server.PostJsonAsync("/module/start", """{"module_type":"Llm","config":{"bind_address":"127.0.0.1:PORT","backends":{}},"allow_empty_backends":true}""".Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        Assert.That((status, body!.ToJsonString()), Is.EqualTo((500, """{"error":"module_failed_to_start"}""")));
        (_, body) = await server.GetAsync("/status");
        Assert.That(body!["llm_module"]!.GetValue<string>(), Is.EqualTo("stopped"));
    }

    [Test]
    public async Task StartStop_Web_StatusFollows()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/module/start", """{"module_type":"web","config":{}}""");

        Assert.That((status, body!.ToJsonString()), Is.EqualTo((200, """{"result":"module_started"}""")));
        (_, body) = await server.GetAsync("/status");
        Assert.That(body!["web_module"]!.GetValue<string>(), Is.EqualTo("running"));
        (_, body) = await server.PostJsonAsync("/module/stop", """{"module_type":"Web"}""");
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"result":"module_stopped"}"""));
    }

    [TestCase("""{"module_type":"LLM","config":null}""", "unknown variant `LLM`")]
    [TestCase("""{"module_type":"Lua","config":null}""", "unknown variant `Lua`")]
    [TestCase("""{"config":null}""", "missing field `module_type`")]
    [TestCase("""{"module_type":"Llm"}""", "missing field `config`")]
    [TestCase("""{"module_type":"Llm","config":[]}""", "invalid type for field `config`")]
    [TestCase("""{"module_type":1,"config":null}""", "invalid type for field `module_type`")]
    [TestCase("""{"module_type":"Llm",""", "invalid JSON body")]
    public async Task Start_Malformed_400(string json, string message)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/module/start", json);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith(message));
    }

    [Test]
    public async Task Stop_UnknownModuleType_400()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/module/stop", """{"module_type":"Lua"}""");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith("unknown variant `Lua`"));
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
