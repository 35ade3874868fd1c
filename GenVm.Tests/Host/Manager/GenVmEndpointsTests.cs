using System.Text.Json.Nodes;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GenVm.Tests.Host.Manager;

[TestFixture]
[Category("Executor")]
public sealed class GenVmEndpointsTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Run_TrivialContract_GetReturnsCapturedOutputOnceThenNull()
    {
        await using var server = await ManagerServer.StartAsync();
        var node = ManagerContracts.Deploy(ManagerContracts.Trivial);
        await using var host = TestHost.StartUnix();

        var (status, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host.Uri));
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"result":"started","id":1}"""));

        await host.AcceptAsync().WaitAsync(Guard);
        await node.ServeAsync(host, CancellationToken.None).WaitAsync(Guard);
        await server.Executions.Executions[1].Completion.WaitAsync(Guard);

        (status, body) = await server.GetAsync("/genvm/1");
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!["genvm_id"]!.GetValue<ulong>(), Is.EqualTo(1));
        var record = body["status"]!.AsObject();
        Assert.That(record.Select(p => p.Key), Is.EqualTo(new[] { "finished_at", "stdout", "stderr", "genvm_log" }));
        Assert.That(record["stdout"]!.GetValue<string>(), Is.EqualTo("executed with `Return(\"\\x00\")`\n"));
        Assert.That(record["stderr"]!.GetValue<string>(), Is.Empty);
        Assert.That(record["finished_at"]!.GetValue<long>(), Is.InRange(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        // manager.md §4 step 6: the executor's own log records (ExecutorLogTests pins their routing).
        Assert.That(record["genvm_log"]!.AsArray().Select(r => r!["message"]!.GetValue<string>()), Has.Some.StartWith("transaction finished with Return"));
        Assert.That(node.Result, Is.EqualTo(new byte[] { 0, 0 }));

        // manager.md §4: the read is destructive.
        (status, body) = await server.GetAsync("/genvm/1");
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"genvm_id":1,"status":null}"""));
        Assert.That(server.Permits.Available, Is.EqualTo(4));
    }

    [Test]
    public async Task Run_WithoutCapture_EmptyOutputsAndNullLog()
    {
        await using var server = await ManagerServer.StartAsync();
        var node = ManagerContracts.Deploy(ManagerContracts.Trivial);
        await using var host = TestHost.StartUnix();

        var (_, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host.Uri, isSync: true, capture: false));
        var id = body!["id"]!.GetValue<ulong>();
        await host.AcceptAsync().WaitAsync(Guard);
        await node.ServeAsync(host, CancellationToken.None).WaitAsync(Guard);
        await server.Executions.Executions[id].Completion.WaitAsync(Guard);

        (_, body) = await server.GetAsync($"/genvm/{id}");
        var record = body!["status"]!;
        Assert.That(record["stdout"]!.GetValue<string>(), Is.Empty);
        Assert.That(record["stderr"]!.GetValue<string>(), Is.Empty);
        Assert.That(record["genvm_log"], Is.Null);
        Assert.That(node.Result, Is.EqualTo(new byte[] { 0, 0 }));
    }

    [Test]
    public async Task Delete_RunningExecution_CancelsItAsTimeout()
    {
        await using var server = await ManagerServer.StartAsync();
        var node = ManagerContracts.Deploy(ManagerContracts.Endless);
        await using var host = TestHost.StartUnix();

        var (_, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host.Uri, maxMinutes: "7"));
        var id = body!["id"]!.GetValue<ulong>();
        await host.AcceptAsync().WaitAsync(Guard);
        var serve = node.ServeAsync(host, CancellationToken.None);
        await Eventually.TrueAsync(() => server.Executions.Executions[id].Stdout.Length > 0); // the guest's "." 

        (_, body) = await server.GetAsync("/status");
        var entry = body!["executions"]![id.ToString(System.Globalization.CultureInfo.InvariantCulture)]!;
        Assert.That(entry["has_result"]!.GetValue<bool>(), Is.False);
        Assert.That(entry["version"]!.GetValue<string>(), Is.EqualTo("v0.2.7"));
        var started = DateTimeOffset.Parse(entry["started_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var deadline = DateTimeOffset.Parse(entry["strict_deadline"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(deadline - started, Is.EqualTo(TimeSpan.FromMinutes(7)));
        Assert.That(body["permits"]!.ToJsonString(), Is.EqualTo("""{"current":2,"max":4}"""));
        (_, body) = await server.GetAsync($"/genvm/{id}");
        Assert.That(body!["status"], Is.Null);

        var (status, deleted) = await server.DeleteAsync($"/genvm/{id}?wait_timeout_ms=30000");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(deleted!.ToJsonString(), Is.EqualTo($$"""{"result":"shutdown_completed","genvm_id":{{id}}}"""));
        await serve.WaitAsync(Guard);
        Assert.That(node.Result![0], Is.EqualTo(2)); // VMError; the line below names it
        await server.Executions.Executions[id].Completion.WaitAsync(Guard);
        (_, body) = await server.GetAsync($"/genvm/{id}");
        Assert.That(body!["status"]!["stdout"]!.GetValue<string>(), Is.EqualTo(".executed with `VMError(\"timeout\")`\n"));
        Assert.That(server.Permits.Available, Is.EqualTo(4));
    }

    [Test]
    public async Task Delete_FinishedExecution_ShutdownCompleted()
    {
        await using var server = await ManagerServer.StartAsync();
        await RunTrivialToTheEndAsync(server);

        var (status, body) = await server.DeleteAsync("/genvm/1");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"result":"shutdown_completed","genvm_id":1}"""));

        // The record stays until it is fetched.
        (_, body) = await server.GetAsync("/genvm/1");
        Assert.That(body!["status"], Is.Not.Null);
    }

    [Test]
    public async Task Delete_UnknownId_200WithError()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.DeleteAsync("/genvm/424242");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"GenVM with id 424242 not found","genvm_id":424242}"""));
    }

    [Test]
    public async Task Get_UnknownId_NullStatus()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.GetAsync("/genvm/18446744073709551615");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"genvm_id":18446744073709551615,"status":null}"""));
    }

    [TestCase("/genvm/abc")]
    [TestCase("/genvm/-1")]
    [TestCase("/genvm/18446744073709551616")]
    public async Task Get_InvalidId_400(string path)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.GetAsync(path);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith("invalid genvm id"));
    }

    [Test]
    public async Task Delete_BadWaitTimeout_400()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.DeleteAsync("/genvm/1?wait_timeout_ms=soon");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith("invalid query string"));
    }

    [TestCase("{", "invalid JSON body: ")]
    [TestCase("null", "invalid JSON body: expected an object")]
    [TestCase("""{"message":{}}""", "missing field `major`")]
    [TestCase("""{"major":"0"}""", "invalid type for field `major`: expected an unsigned 32-bit integer")]
    [TestCase("""{"major":0,"message":{},"is_sync":1}""", "invalid type for field `is_sync`: expected a boolean")]
    [TestCase("""{"major":0,"message":{},"is_sync":true,"capture_output":true,"host_data":"{}","timestamp":"2025-01-01","host":"x"}""", "invalid type for field `timestamp`: expected an RFC 3339 timestamp")]
    [TestCase("""{"major":0,"message":{},"is_sync":true,"capture_output":true,"host_data":"{}","timestamp":"2025-01-01T00:00:00Z","host":"x","extra_args":[1]}""", "invalid type for field `extra_args`: expected an array of strings")]
    public async Task Run_MalformedBody_400(string json, string message)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/genvm/run", json);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith(message));
        Assert.That(server.Executions.Executions, Is.Empty);
    }

    [Test]
    public async Task Run_UnknownMajor_500NoCompatibleVersion()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("unix:///nowhere", major: 7));

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"no compatible version found for major 7"}"""));
        Assert.That(server.Permits.Available, Is.EqualTo(4));
    }

    [Test]
    public async Task Run_PermitsExhausted_NextRunWaitsUntilDelete()
    {
        await using var server = await ManagerServer.StartAsync(o => o.Permits = 2);
        var endless = ManagerContracts.Deploy(ManagerContracts.Endless);
        var trivial = ManagerContracts.Deploy(ManagerContracts.Trivial);
        await using var host1 = TestHost.StartUnix();
        await using var host2 = TestHost.StartUnix();

        var (_, first) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host1.Uri));
        await host1.AcceptAsync().WaitAsync(Guard);
        var serve1 = endless.ServeAsync(host1, CancellationToken.None);
        await Eventually.TrueAsync(() => server.Executions.Executions[1].Stdout.Length > 0);

        var second = server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host2.Uri, isSync: true));
        await Eventually.TrueAsync(() => server.Permits.Waiting == 1);
        Assert.That(second.IsCompleted, Is.False);
        var (_, status) = await server.GetAsync("/status");
        Assert.That(status!["permits"]!.ToJsonString(), Is.EqualTo("""{"current":0,"max":2}"""));

        await server.DeleteAsync($"/genvm/{first!["id"]}");
        var (code, started) = await second.WaitAsync(Guard);

        Assert.That(code, Is.EqualTo(200));
        Assert.That(started!.ToJsonString(), Is.EqualTo("""{"result":"started","id":2}"""));
        await host2.AcceptAsync().WaitAsync(Guard);
        await trivial.ServeAsync(host2, CancellationToken.None).WaitAsync(Guard);
        await serve1.WaitAsync(Guard);
        await server.Executions.Executions[2].Completion.WaitAsync(Guard);
        Assert.That(trivial.Result, Is.EqualTo(new byte[] { 0, 0 }));
    }

    [Test]
    public async Task Run_DeadlinePassed_ExecutionStoppedAsTimeout()
    {
        var clock = new ManualTimeProvider();
        await using var server = await ManagerServer.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var node = ManagerContracts.Deploy(ManagerContracts.Endless);
        await using var host = TestHost.StartUnix();

        var (_, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host.Uri, maxMinutes: "1"));
        var id = body!["id"]!.GetValue<ulong>();
        await host.AcceptAsync().WaitAsync(Guard);
        var serve = node.ServeAsync(host, CancellationToken.None);
        await Eventually.TrueAsync(() => server.Executions.Executions[id].Stdout.Length > 0); // the guest's "." 

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.That(serve.IsCompleted, Is.False);
        clock.Advance(TimeSpan.FromSeconds(2));

        await serve.WaitAsync(Guard);
        Assert.That(node.Result![0], Is.EqualTo(2)); // VMError; the line below names it
        await server.Executions.Executions[id].Completion.WaitAsync(Guard);
        (_, body) = await server.GetAsync($"/genvm/{id}");
        Assert.That(body!["status"]!["stdout"]!.GetValue<string>(), Is.EqualTo(".executed with `VMError(\"timeout\")`\n"));
    }

    [Test]
    public async Task Collect_FinishedBeforeThePass_Dropped()
    {
        await using var server = await ManagerServer.StartAsync();
        await RunTrivialToTheEndAsync(server);

        server.Executions.Collect();

        var (_, body) = await server.GetAsync("/genvm/1");
        Assert.That(body!["status"], Is.Null);
    }

    [Test]
    public async Task Readonly_MissingHeader_400()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostCodeAsync("/genvm/run/readonly", "# {}\n"u8.ToArray(), null);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!.ToJsonString(), Is.EqualTo(new JsonObject { ["error"] = "missing request header \"deployment-timestamp\"" }.ToJsonString()));
    }

    // Execution 1: the trivial contract started through /genvm/run, served by a test node, and finished.
    private static async Task RunTrivialToTheEndAsync(ManagerServer server)
    {
        var node = ManagerContracts.Deploy(ManagerContracts.Trivial);
        await using var host = TestHost.StartUnix();
        await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host.Uri));
        await host.AcceptAsync().WaitAsync(Guard);
        await node.ServeAsync(host, CancellationToken.None).WaitAsync(Guard);
        await server.Executions.Executions[1].Completion.WaitAsync(Guard);
    }
}
