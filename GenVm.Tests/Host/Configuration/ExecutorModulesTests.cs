using GenVm.Core.Modules;
using GenVm.Host.Configuration;
using GenVm.Modules.Llm;
using GenVm.Modules.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Host.Configuration;

/// <summary><c>modules.mode</c>: the one switch between in-process modules and WebSocket clients (config.md §2).</summary>
[TestFixture]
public sealed class ExecutorModulesTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings)
        => new ServiceCollection()
            .AddLogging()
            .AddExecutorModules(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build())
            .BuildServiceProvider();

    [Test]
    public async Task AddExecutorModules_AddressesWithoutMode_RegistersWebSocketClients()
    {
        await using var provider = Build(("modules:llm:address", "ws://127.0.0.1:3031"), ("modules:web:address", "ws://127.0.0.1:3032"));

        Assert.That(provider.GetRequiredService<ILlmModule>(), Is.InstanceOf<WebSocketLlmModule>());
        Assert.That(provider.GetRequiredService<IWebModule>(), Is.InstanceOf<WebSocketWebModule>());
        Assert.That(((WebSocketLlmModule)provider.GetRequiredService<ILlmModule>()).Options.Address, Is.EqualTo("ws://127.0.0.1:3031"));
    }

    [Test]
    public async Task AddExecutorModules_NoAddress_RegistersNoModule()
    {
        await using var provider = Build(("modules:mode", "websocket"), ("modules:llm:config", "/nonexistent.yaml"));

        Assert.That(provider.GetService<ILlmModule>(), Is.Null);
        Assert.That(provider.GetService<IWebModule>(), Is.Null);
    }

    [Test]
    public async Task AddExecutorModules_InProcess_LoadsTheModuleYamlAndIgnoresAddresses()
    {
        var yaml = Path.Combine(Path.GetTempPath(), "genvm-llm-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(yaml, """
            backends:
              b:
                provider: ollama
                host: http://127.0.0.1:9
                key: k
                models:
                  m: {}
            """);
        try
        {
            await using var provider = Build(("modules:mode", "in-process"), ("modules:llm:config", yaml), ("modules:llm:address", "ws://127.0.0.1:3031"));

            var llm = provider.GetRequiredService<ILlmModule>();

            Assert.That(llm, Is.InstanceOf<LlmModule>());
            Assert.That(((LlmModule)llm).BackendNames, Is.EqualTo(new[] { "b" }));
            Assert.That(provider.GetService<IWebModule>(), Is.Null);
        }
        finally
        {
            File.Delete(yaml);
        }
    }

    [Test]
    public void AddExecutorModules_UnknownModeOrMissingFile_Throws()
    {
        Assert.Throws<FormatException>(() => Build(("modules:mode", "remote")));
        Assert.That(() => Build(("modules:mode", "in-process"), ("modules:web:config", "/nonexistent/genvm-module-web.yaml")), Throws.InstanceOf<IOException>());
    }
}
