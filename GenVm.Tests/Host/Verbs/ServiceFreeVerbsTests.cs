using GenVm.Host.Verbs;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Host.Verbs;

[TestFixture]
public sealed class ServiceFreeVerbsTests
{
    [Test]
    public void Create_EveryListedName_IsTheRegisteredVerbOfThatName()
    {
        using var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).AddGenVmVerbs().BuildServiceProvider();
        var registered = services.GetServices<IVerb>().ToDictionary(v => v.Name, v => v.GetType());
        foreach (var name in ServiceFreeVerbs.Names)
        {
            var verb = ServiceFreeVerbs.Create(name);
            Assert.That(verb, Is.Not.Null, name);
            Assert.That((verb!.Name, verb.GetType()), Is.EqualTo((name, registered[name])));
        }
    }

    [TestCase("run")]
    [TestCase("exec")]
    [TestCase("manager")]
    [TestCase("module")]
    [TestCase("no-such-verb")]
    public void Create_VerbNeedingServices_ReturnsNull(string name) =>
        Assert.That(ServiceFreeVerbs.Create(name), Is.Null);
}
