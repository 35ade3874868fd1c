using System.Net;
using System.Net.Sockets;

namespace GenVm.Tests.Host.Manager;

/// <summary>
/// <c>POST /module/start</c> with <c>"config": null</c> (manager.md §4 step 2): the shipped
/// <c>config/genvm-module-{llm,web}.yaml</c> is loaded, with its <c>bind_address</c> (3031 / 3032) and its backends whose
/// keys come from <c>${ENV[…]}</c>; without a key no backend is usable (modules.md §3.2 startup filtering).
/// Non-parallel: the shipped files bind fixed ports and these tests set key variables.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ModuleDefaultConfigTests
{
    private static readonly string[] KeyVariables = ["OPENAIKEY", "HEURISTKEY", "ANTHROPICKEY", "XAIKEY", "GEMINIKEY", "ATOMAKEY"];

    [SetUp]
    public void RequireUnsetKeysAndFreePorts()
    {
        Assume.That(KeyVariables.Where(k => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(k))), Is.Empty, "a provider key is set in this environment");
        Assume.That(PortFree(3031) && PortFree(3032), Is.True, "the shipped bind addresses 127.0.0.1:3031/3032 are in use");
    }

    [Test]
    public async Task Start_NullConfigBothModules_StartFromShippedDefaultsOnTheirBindAddresses()
    {
        await using var server = await ManagerServer.StartAsync();

        var llm = await server.PostJsonAsync("/module/start", """{"module_type":"Llm","config":null,"allow_empty_backends":true}""");
        var web = await server.PostJsonAsync("/module/start", """{"module_type":"Web","config":null}""");

        // Disposing the server stops both modules and waits for their listeners to close.
        Assert.That((llm.Status, llm.Body!.ToJsonString()), Is.EqualTo((200, """{"result":"module_started"}""")));
        Assert.That((web.Status, web.Body!.ToJsonString()), Is.EqualTo((200, """{"result":"module_started"}""")));
        var (_, status) = await server.GetAsync("/status");
        Assert.That((status!["llm_module"]!.GetValue<string>(), status["web_module"]!.GetValue<string>()), Is.EqualTo(("running", "running")));

        // The listeners of the shipped bind_address values prove the files were the source.
        Assert.That(PortFree(3031), Is.False);
        Assert.That(PortFree(3032), Is.False);
    }

    [Test]
    public async Task Start_NullConfigLlmNoKeyVariables_500FailedToStart()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/module/start", """{"module_type":"Llm","config":null}""");

        Assert.That((status, body!.ToJsonString()), Is.EqualTo((500, """{"error":"module_failed_to_start"}""")));
        (_, body) = await server.GetAsync("/status");
        Assert.That(body!["llm_module"]!.GetValue<string>(), Is.EqualTo("stopped"));
        Assert.That(PortFree(3031), Is.True);
    }

    [Test]
    public async Task Start_NullConfigLlmKeyFromPostEnv_StartsWithoutAllowEmpty()
    {
        await using var server = await ManagerServer.StartAsync();
        try
        {
            var (status, _) = await server.PostJsonAsync("/env", """{"key":"HEURISTKEY","value":"test-not-a-key"}""");
            Assert.That(status, Is.EqualTo(200));

            (status, var body) = await server.PostJsonAsync("/module/start", """{"module_type":"Llm","config":null}""");

            Assert.That((status, body!.ToJsonString()), Is.EqualTo((200, """{"result":"module_started"}""")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("HEURISTKEY", null);
        }
    }

    private static bool PortFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
