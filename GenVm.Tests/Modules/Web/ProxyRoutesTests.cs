using GenVm.Modules.Web;

namespace GenVm.Tests.Modules.Web;

/// <summary>Per-host proxy rules (docs/decisions.md "Web: per-host proxy routing").</summary>
[TestFixture]
public sealed class ProxyRoutesTests
{
    private static ProxyRoutes Routes(string defaultProxy = "")
        => new(defaultProxy,
        [
            new ProxyRouteOptions { Host = "api.example.com", Proxy = "direct" },
            new ProxyRouteOptions { Host = "*.example.com", Proxy = "http://alice:s%40cret@10.0.0.1:3128" },
            new ProxyRouteOptions { Host = "EXAMPLE.org", Proxy = "socks5://10.0.0.2:1080" },
            new ProxyRouteOptions { Host = "*.bücher.de", Proxy = "http://10.0.0.3:8080" },
        ]);

    [TestCase("api.example.com", null, Description = "first match wins: the exact rule before the wildcard")]
    [TestCase("www.example.com", "http://10.0.0.1:3128/")]
    [TestCase("a.b.example.com", "http://10.0.0.1:3128/", Description = "any depth")]
    [TestCase("example.com", null, Description = "the wildcard does not match the bare domain")]
    [TestCase("badexample.com", null)]
    [TestCase("example.org", "socks5://10.0.0.2:1080/", Description = "patterns are case-insensitive")]
    [TestCase("www.xn--bcher-kva.de", "http://10.0.0.3:8080/", Description = "IDN patterns match punycode hosts")]
    public void ProxyFor_Host_FirstMatchingRuleOrDirect(string host, string? expected)
    {
        Assert.That(Routes().ProxyFor(host)?.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void ProxyFor_NoRuleMatches_UsesTheDefaultProxy()
    {
        var routes = Routes("http://10.9.9.9:3128");

        Assert.That(routes.ProxyFor("other.net")?.ToString(), Is.EqualTo("http://10.9.9.9:3128/"));
        Assert.That(routes.ProxyFor("api.example.com"), Is.Null, "an explicit direct rule beats the default");
        Assert.That(routes.IsBypassed(new Uri("http://api.example.com/x")), Is.True);
    }

    [Test]
    public void Credentials_ComeFromTheRouteUrlAndNeverFromTheProxyUri()
    {
        var routes = Routes();

        var proxy = routes.GetProxy(new Uri("https://www.example.com/"))!;
        var credential = ((System.Net.IWebProxy)routes).Credentials!.GetCredential(proxy, "Basic");

        Assert.That(proxy.UserInfo, Is.Empty);
        Assert.That(proxy.ToString(), Does.Not.Contain("alice").And.Not.Contain("cret"));
        Assert.That((credential!.UserName, credential.Password), Is.EqualTo(("alice", "s@cret")));
        Assert.That(routes.CredentialFor(new Uri("socks5://10.0.0.2:1080")), Is.Null);
        Assert.That(routes.PacScript(), Does.Not.Contain("alice").And.Not.Contain("cret"));
    }

    [Test]
    public void PacScript_HasTheSameRulesInOrder()
    {
        var pac = Routes("http://10.9.9.9:3128").PacScript();

        Assert.That(pac, Is.EqualTo("""
            function FindProxyForURL(url, host) {
              host = host.toLowerCase();
              if (host === "api.example.com") return "DIRECT";
              if (host.length > ".example.com".length && host.slice(-".example.com".length) === ".example.com") return "PROXY 10.0.0.1:3128";
              if (host === "example.org") return "SOCKS5 10.0.0.2:1080";
              if (host.length > ".xn--bcher-kva.de".length && host.slice(-".xn--bcher-kva.de".length) === ".xn--bcher-kva.de") return "PROXY 10.0.0.3:8080";
              return "PROXY 10.9.9.9:3128";
            }

            """.ReplaceLineEndings("\n")));
    }

    [TestCase("", "direct")]
    [TestCase("a*.example.com", "direct")]
    [TestCase("example.com/path", "direct")]
    [TestCase("example.com", "ftp://10.0.0.1")]
    [TestCase("example.com", "http://10.0.0.1:3128/some/path")]
    [TestCase("example.com", "not a url")]
    public void ParseRoute_Malformed_IsErrorWithoutTheUrl(string host, string proxy)
    {
        var (route, error) = ProxyRoutes.ParseRoute(host, proxy);

        Assert.That(route, Is.Null);
        Assert.That(error, Is.Not.Null.And.Not.Contain("10.0.0.1"));
    }
}
