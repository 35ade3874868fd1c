namespace GenVm.Tests.Host.Manager;

[TestFixture]
public sealed class PermitEndpointsTests
{
    [Test]
    public async Task GetPermits_ConfiguredTotal()
    {
        await using var server = await ManagerServer.StartAsync(o => o.Permits = 5);

        var (status, body) = await server.GetAsync("/permits");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"permits":5}"""));
    }

    [Test]
    public async Task GetPermits_AutoSized_AtLeastTwo()
    {
        await using var server = await ManagerServer.StartAsync(o => o.Permits = null);

        var (_, body) = await server.GetAsync("/permits");

        Assert.That(body!["permits"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task PostPermits_IncreaseThenRefuseBelowTwo()
    {
        await using var server = await ManagerServer.StartAsync(o => o.Permits = 4);

        var (status, body) = await server.PostJsonAsync("/permits", """{"permits":7}""");
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"result":"permits_set","permits":7}"""));

        (status, body) = await server.PostJsonAsync("/permits", """{"permits":1}""");
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"result":"permits_set","permits":7}"""));

        (_, body) = await server.GetAsync("/status");
        Assert.That(body!["permits"]!.ToJsonString(), Is.EqualTo("""{"current":7,"max":7}"""));
    }

    [Test]
    public async Task PostPermits_Decrease_WaitsUntilPermitsAreGivenBack()
    {
        await using var server = await ManagerServer.StartAsync(o => o.Permits = 4);
        await server.Permits.AcquireAsync(3, CancellationToken.None);

        var decrease = server.PostJsonAsync("/permits", """{"permits":2}""");
        await Eventually.TrueAsync(() => server.Permits.Waiting == 1);
        Assert.That(decrease.IsCompleted, Is.False);

        server.Permits.Release(3);
        var (status, body) = await decrease.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"result":"permits_set","permits":2}"""));
        (_, body) = await server.GetAsync("/status");
        Assert.That(body!["permits"]!.ToJsonString(), Is.EqualTo("""{"current":2,"max":2}"""));
    }

    [TestCase("""{"permits":-1}""")]
    [TestCase("""{"permits":"3"}""")]
    [TestCase("""{"permits":2.5}""")]
    [TestCase("""{}""")]
    public async Task PostPermits_InvalidValue_500InvalidPermits(string json)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/permits", json);

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"invalid permits"}"""));
    }

    [TestCase("{\"permits\":", "invalid JSON body: ")]
    [TestCase("[4]", "invalid JSON body: expected an object")]
    [TestCase("", "invalid JSON body: ")]
    public async Task PostPermits_BadJson_400(string json, string prefix)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/permits", json);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith(prefix));
    }
}
