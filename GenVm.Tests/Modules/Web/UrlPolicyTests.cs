using System.Net;
using GenVm.Modules.Web;

namespace GenVm.Tests.Modules.Web;

/// <summary>URL policy table (modules.md §4.3) including SSRF attempts, and the connect-time address check (ours).</summary>
[TestFixture]
public sealed class UrlPolicyTests
{
    private static readonly UrlPolicy Policy = new(["test"], ["127.0.0.1", "allowed.internal"], new Uri("http://127.0.0.1:4444"));

    [TestCase("https://example.com/page?q=1")]
    [TestCase("http://sub.example.ai/")]
    [TestCase("http://example.com:80/")]
    [TestCase("http://example.com:443/")]
    [TestCase("https://example.com:443/")]
    [TestCase("http://b\u00FCcher.de/")]
    [TestCase("http://EXAMPLE.COM/")]
    [TestCase("http://x.test/")]
    [TestCase("http://127.0.0.1:5000/always-allowed")]
    [TestCase("http://allowed.internal:8080/")]
    [TestCase("http://127.0.0.1:4444/render?url=x")]
    public void Check_AllowedUrl_ReturnsNull(string url)
        => Assert.That(Policy.Check(url), Is.Null);

    [TestCase("file:///etc/passwd", "SCHEMA_FORBIDDEN", "schema", "file")]
    [TestCase("ftp://example.com/x", "SCHEMA_FORBIDDEN", "schema", "ftp")]
    [TestCase("gopher://example.com/", "SCHEMA_FORBIDDEN", "schema", "gopher")]
    [TestCase("/etc/passwd", "MALFORMED_URL", "url", "/etc/passwd")]
    [TestCase("not a url", "MALFORMED_URL", "url", "not a url")]
    [TestCase("http://", "MALFORMED_URL", "url", "http://")]
    [TestCase("http://localhost/", "TLD_FORBIDDEN", "tld", "localhost")]
    [TestCase("http://127.0.0.2/", "TLD_FORBIDDEN", "tld", "2")]
    [TestCase("http://[::1]/", "TLD_FORBIDDEN", "tld", "::1")]
    [TestCase("http://10.0.0.1/", "TLD_FORBIDDEN", "tld", "1")]
    [TestCase("http://169.254.169.254/latest/meta-data/", "TLD_FORBIDDEN", "tld", "254")]
    [TestCase("http://2130706434/", "TLD_FORBIDDEN", "tld", "2")]
    [TestCase("http://0x7f.0.0.2/", "TLD_FORBIDDEN", "tld", "2")]
    [TestCase("http://example.com@169.254.169.254/", "TLD_FORBIDDEN", "tld", "254")]
    [TestCase("http://169.254.169.254#@example.com/", "TLD_FORBIDDEN", "tld", "254")]
    [TestCase("http://example.com:8080/", "PORT_FORBIDDEN", "port", 8080L)]
    [TestCase("http://example.com:22/", "PORT_FORBIDDEN", "port", 22L)]
    [TestCase("https://example.com:8443/", "PORT_FORBIDDEN", "port", 8443L)]
    [TestCase("http://127.0.0.1.nip.io:8000/", "PORT_FORBIDDEN", "port", 8000L)]
    [TestCase("http://a.com./", "TLD_FORBIDDEN", "tld", "")]
    [TestCase("http://service.local/", "TLD_FORBIDDEN", "tld", "local")]
    [TestCase("http://metadata.google.internal/", "TLD_FORBIDDEN", "tld", "internal")]
    [TestCase("http://b\u00FCcher.example/", "TLD_FORBIDDEN", "tld", "example")]
    [TestCase("http://x.onion/", "TLD_FORBIDDEN", "tld", "onion")]
    public void Check_ForbiddenUrl_ReturnsNonFatalErrorWithContext(string url, string cause, string key, object value)
    {
        var error = Policy.Check(url);

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Causes, Is.EqualTo(new[] { cause }));
        Assert.That(error.Fatal, Is.False);
        Assert.That(Text(error.Context[key]), Is.EqualTo(key == "url" ? url : value));
        Assert.That(Text(error.Context["url"]), Is.EqualTo(url));
    }

    [TestCase("127.0.0.1")]
    [TestCase("127.255.0.9")]
    [TestCase("10.1.2.3")]
    [TestCase("172.16.0.1")]
    [TestCase("192.168.1.1")]
    [TestCase("169.254.169.254")]
    [TestCase("100.64.0.1")]
    [TestCase("0.0.0.0")]
    [TestCase("224.0.0.1")]
    [TestCase("::1")]
    [TestCase("::")]
    [TestCase("fe80::1")]
    [TestCase("fc00::1")]
    [TestCase("fd12:3456::1")]
    [TestCase("::ffff:127.0.0.1")]
    [TestCase("::ffff:10.0.0.1")]
    public void CheckAddress_SpecialAddress_IsAddressForbidden(string address)
    {
        var error = Policy.CheckAddress("evil.com", IPAddress.Parse(address), "http://evil.com/");

        Assert.That(error!.Causes, Is.EqualTo(new[] { UrlPolicy.AddressForbidden }));
        Assert.That(error.Fatal, Is.False);
    }

    [TestCase("93.184.216.34")]
    [TestCase("8.8.8.8")]
    [TestCase("2606:4700::1111")]
    public void CheckAddress_PublicAddress_IsAllowed(string address)
        => Assert.That(Policy.CheckAddress("example.com", IPAddress.Parse(address), "http://example.com/"), Is.Null);

    [TestCase("http://2130706433/")]
    [TestCase("http://0x7f.0.0.1/")]
    public void Check_NumericFormsOfAnAlwaysAllowedAddress_AreThatHost(string url)
        => Assert.That(Policy.Check(url), Is.Null, "parsed to 127.0.0.1, which is in always_allow_hosts, like a WHATWG parser");

    [Test]
    public void CheckAddress_AlwaysAllowedHost_MayBeLoopback()
        => Assert.That(Policy.CheckAddress("127.0.0.1", IPAddress.Loopback, "http://127.0.0.1/"), Is.Null);

    [Test]
    public void AllowedTlds_ContainCommonAndExtraButNoSpecialUse()
    {
        Assert.That(Policy.AllowedTlds, Does.Contain("com").And.Contain("org").And.Contain("io").And.Contain("ai").And.Contain("arpa").And.Contain("test"));
        Assert.That(TopLevelDomains.BuiltIn, Does.Not.Contain("localhost").And.Not.Contain("local").And.Not.Contain("test").And.Not.Contain("onion").And.Not.Contain("internal"));
        Assert.That(TopLevelDomains.BuiltIn.Count, Is.GreaterThan(1200));
    }

    private static object? Text(object? value) => value is byte[] b ? System.Text.Encoding.UTF8.GetString(b) : value;
}
