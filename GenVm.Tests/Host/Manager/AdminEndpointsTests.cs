using GenVm.Host.Manager;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GenVm.Tests.Host.Manager;

[TestFixture]
public sealed class AdminEndpointsTests
{
    [TestCase("trace", "Trace", LogLevel.Trace)]
    [TestCase("DEBUG", "Debug", LogLevel.Debug)]
    [TestCase("Info", "Info", LogLevel.Information)]
    [TestCase("warn", "Warn", LogLevel.Warning)]
    [TestCase("warning", "Warn", LogLevel.Warning)]
    [TestCase("error", "Error", LogLevel.Error)]
    public async Task SetLogLevel_Valid_EchoedCapitalizedAndApplied(string level, string echo, LogLevel applied)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/log/level", $$"""{"level":"{{level}}"}""");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo($$"""{"result":"log_level_set","level":"{{echo}}"}"""));
        Assert.That(server.App.Services.GetRequiredService<ManagerLogLevel>().Level, Is.EqualTo(applied));
        var logger = server.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("x");
        Assert.That(logger.IsEnabled(applied), Is.True);
        Assert.That(applied == LogLevel.Trace || !logger.IsEnabled(applied - 1), Is.True);
    }

    [TestCase("""{"level":"off"}""")]
    [TestCase("""{"level":"verbose"}""")]
    [TestCase("""{"level":3}""")]
    [TestCase("""{}""")]
    public async Task SetLogLevel_Invalid_500(string json)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/log/level", json);

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"invalid log level"}"""));
    }

    [Test]
    public async Task ReloadManifest_ChangedFile_NewVersionsUsed()
    {
        await using var server = await ManagerServer.StartAsync();
        var (status, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("unix:///nowhere", major: 3));
        Assert.That(status, Is.EqualTo(500));
        await File.WriteAllTextAsync(Path.Combine(server.Root.FullName, "manifest.yaml"), "executor_versions:\n  v3.0.0: { available_after: \"2024-01-01T00:00:00Z\" }\n");
        server.WriteExecutor("v3.0.0", "exit 0\n");

        (status, body) = await server.PostJsonAsync("/manifest/reload", "");

        Assert.That((status, body!.ToJsonString()), Is.EqualTo((200, """{"result":"manifest_reloaded"}""")));
        (status, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("unix:///nowhere", major: 3));
        Assert.That((status, body!.ToJsonString()), Is.EqualTo((200, """{"result":"started","id":1}""")));
        await server.Executions.Executions[1].Completion.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Test]
    public async Task ReloadManifest_BrokenFile_500AndOldManifestKept()
    {
        await using var server = await ManagerServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(server.Root.FullName, "manifest.yaml"), "executor_versions: [");

        var (status, body) = await server.PostJsonAsync("/manifest/reload", "");

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith("Failed to parse manifest YAML: "));
        (_, body) = await server.PostCodeAsync("/contract/detect-version", "# {}\n"u8.ToArray(), "2025-01-01T00:00:00Z");
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"specified_major":0}"""));
    }

    [Test]
    public async Task SetEnv_VisibleToTheProcess()
    {
        await using var server = await ManagerServer.StartAsync();
        var name = "GENVM_TEST_ENV_" + Guid.NewGuid().ToString("N");

        var (status, body) = await server.PostJsonAsync("/env", $$"""{"key":"{{name}}","value":"v=1"}""");

        Assert.That((status, body!.ToJsonString()), Is.EqualTo((200, $$"""{"result":"env_var_set","key":"{{name}}"}""")));
        Assert.That(Environment.GetEnvironmentVariable(name), Is.EqualTo("v=1"));
        Environment.SetEnvironmentVariable(name, null);
    }

    [TestCase("""{"value":"x"}""", "invalid env var key")]
    [TestCase("""{"key":"","value":"x"}""", "invalid env var key")]
    [TestCase("""{"key":"A=B","value":"x"}""", "invalid env var key")]
    [TestCase("""{"key":7,"value":"x"}""", "invalid env var key")]
    [TestCase("""{"key":"GENVM_TEST_X"}""", "invalid env var value")]
    [TestCase("""{"key":"GENVM_TEST_X","value":1}""", "invalid env var value")]
    public async Task SetEnv_Invalid_500(string json, string message)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/env", json);

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!["error"]!.GetValue<string>(), Is.EqualTo(message));
    }
}
