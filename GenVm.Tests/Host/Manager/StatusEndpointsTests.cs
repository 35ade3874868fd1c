namespace GenVm.Tests.Host.Manager;

[TestFixture]
public sealed class StatusEndpointsTests
{
    [Test]
    public async Task GetStatus_FreshManager_ModulesStoppedPermitsFullNoExecutions()
    {
        await using var server = await ManagerServer.StartAsync(o => o.Permits = 6);

        var (status, body) = await server.GetAsync("/status");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"llm_module":"stopped","web_module":"stopped","permits":{"current":6,"max":6},"executions":{}}"""));
    }

    [Test]
    public async Task UnknownPath_404WithNotFoundError()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.GetAsync("/no/such/route");

        Assert.That(status, Is.EqualTo(404));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"Not Found"}"""));
    }

    [Test]
    public async Task WrongMethod_ErrorBody()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/status", "{}");

        Assert.That(status, Is.EqualTo(405));
        Assert.That(body!["error"]!.GetValue<string>(), Is.EqualTo("HTTP method not allowed"));
    }

    [Test]
    public async Task GetMetrics_CountersAsText()
    {
        await using var server = await ManagerServer.StartAsync(o => o.Permits = 3);

        var text = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.That(text, Does.Contain("genvm_manager_executions_started_total 0\n"));
        Assert.That(text, Does.Contain("genvm_manager_permits_total 3\n"));
    }
}
