using GenVm.Host.Verbs;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Host;

[TestFixture]
public sealed class VerbDispatcherTests
{
    [Test]
    public async Task DispatchAsync_UnknownVerb_ReturnsTwo()
    {
        using var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).AddGenVmVerbs().BuildServiceProvider();
        var code = await VerbDispatcher.DispatchAsync(services, ["no-such-verb"], CancellationToken.None);
        Assert.That(code, Is.EqualTo(2));
    }
}
