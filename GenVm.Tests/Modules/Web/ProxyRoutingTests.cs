using System.Text;
using GenVm.Core.Modules;
using GenVm.Modules.Web;
using GenVm.Tests.Modules.Llm;
using GenVm.Tests.Modules.Scripting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenVm.Tests.Modules.Web;

/// <summary>
/// Per-host proxy routing end to end: two counting proxies on 127.0.0.1 and a direct site; requests, the AngleSharp
/// renderer and Chromium each reach every host through its own route.
/// </summary>
[TestFixture]
[Category("Network")]
[NonParallelizable]
public sealed class ProxyRoutingTests
{
    private const string Secret = "pr0xy-s3cret";

    private LuaScriptStateTests.TestSite? _site;
    private CountingProxy? _plain;
    private CountingProxy? _authenticated;

    [SetUp]
    public async Task StartAsync()
    {
        _site = await StaticPages.StartAsync();
        _plain = new CountingProxy(_site.Url);
        _authenticated = new CountingProxy(_site.Url, "bob", Secret);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _plain!.DisposeAsync();
        await _authenticated!.DisposeAsync();
        await _site!.DisposeAsync();
    }

    private (string Key, string? Value)[] Routing(params (string Key, string? Value)[] extra)
        =>
        [
            ("always_allow_hosts:1", "a.proxied.test"),
            ("always_allow_hosts:2", "x.secure.test"),
            ("proxy_routes:0:host", "127.0.0.1"),
            ("proxy_routes:0:proxy", "direct"),
            ("proxy_routes:1:host", "a.proxied.test"),
            ("proxy_routes:1:proxy", $"http://127.0.0.1:{_plain!.Port}"),
            ("proxy_routes:2:host", "*.secure.test"),
            ("proxy_routes:2:proxy", $"http://bob:{Secret}@127.0.0.1:{_authenticated!.Port}"),
            .. extra,
        ];

    private static WebHttpRequest Get(string url) => new("GET", url, new Dictionary<string, ReadOnlyMemory<byte>>(), null, false);

    private static string Body(ModuleAnswer<WebHttpResponse> answer) => Encoding.UTF8.GetString(answer.Value!.Body.Span);

    [Test]
    public async Task RequestAsync_EachHost_TakesItsOwnRoute()
    {
        await using var sp = WebModuleTests.Build(Routing());
        var web = sp.GetRequiredService<IWebModule>();

        var viaPlain = await web.RequestAsync(Get("http://a.proxied.test/plain"), CancellationToken.None);
        var viaAuthenticated = await web.RequestAsync(Get("http://x.secure.test/json"), CancellationToken.None);
        var direct = await web.RequestAsync(Get(_site!.Url + "/entities"), CancellationToken.None);

        Assert.That(Body(viaPlain), Does.StartWith("line one"));
        Assert.That(Body(viaAuthenticated), Does.Contain("\"coin\""));
        Assert.That(Body(direct), Does.Contain("caf"));
        Assert.That(_plain!.Forwarded, Is.EqualTo(new[] { "http://a.proxied.test/plain" }));
        Assert.That(_authenticated!.Forwarded, Is.EqualTo(new[] { "http://x.secure.test/json" }));
        Assert.That(_authenticated.Challenged, Is.EqualTo(1), "credentials are sent after the proxy's 407");
    }

    [Test]
    public async Task RequestAsync_HostWithoutRule_UsesDefaultProxy()
    {
        await using var sp = WebModuleTests.Build(Routing(("proxy", $"http://127.0.0.1:{_plain!.Port}"), ("always_allow_hosts:3", "other.test")));

        var answer = await sp.GetRequiredService<IWebModule>().RequestAsync(Get("http://other.test/plain"), CancellationToken.None);
        var direct = await sp.GetRequiredService<IWebModule>().RequestAsync(Get(_site!.Url + "/plain"), CancellationToken.None);

        Assert.That(Body(answer), Does.StartWith("line one"));
        Assert.That(Body(direct), Does.StartWith("line one"));
        Assert.That(_plain.Forwarded, Is.EqualTo(new[] { "http://other.test/plain" }));
    }

    [Test]
    public async Task RequestAsync_ProxiedNameResolvingToLoopback_IsAddressForbiddenBeforeTheProxy()
    {
        await using var sp = WebModuleTests.Build(Routing(("extra_tld:0", "localhost"), ("proxy_routes:3:host", "localhost"), ("proxy_routes:3:proxy", $"http://127.0.0.1:{_plain!.Port}")));

        var answer = await sp.GetRequiredService<IWebModule>().RequestAsync(Get("http://localhost/plain"), CancellationToken.None);

        Assert.That(answer.UserError!.AsMap()["causes"].AsArray()[0].AsString(), Is.EqualTo(UrlPolicy.AddressForbidden));
        Assert.That(_plain.Forwarded, Is.Empty);
    }

    [Test]
    public async Task RenderAsync_WithoutBrowser_TakesTheRouteOfThePageHost()
    {
        await using var sp = WebModuleTests.Build(Routing(("browser", "none")));
        var web = sp.GetRequiredService<IWebModule>();

        var proxied = await web.RenderAsync(new WebRenderRequest(RenderMode.Text, "http://x.secure.test/article", TimeSpan.Zero), CancellationToken.None);

        Assert.That(proxied.Value!.Text, Does.StartWith("Home | News"));
        Assert.That(_authenticated!.ForwardedHosts, Is.EqualTo(new[] { "x.secure.test" }));
        Assert.That(_plain!.Forwarded, Is.Empty);
    }

    [Test]
    public async Task Credentials_NeverInLogsOrErrors()
    {
        // A route whose proxy refuses connections: the error names the proxy, but not its user information.
        string closed;
        await using (var gone = await StaticPages.StartAsync())
        {
            closed = new Uri(gone.Url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var logs = new CapturingLoggerProvider();
        var config = new Dictionary<string, string?> { ["always_allow_hosts:0"] = "127.0.0.1", ["vm_count"] = "1", ["browser"] = "none" };
        foreach (var (k, v) in Routing(("always_allow_hosts:3", "down.test"), ("proxy_routes:3:host", "down.test"), ("proxy_routes:3:proxy", $"http://bob:{Secret}@127.0.0.1:{closed}")))
        {
            config[k] = v;
        }

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddWebModule(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        await using var sp = services.BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();
        var web = sp.GetRequiredService<IWebModule>();

        var ok = await web.RequestAsync(Get("http://x.secure.test/plain"), CancellationToken.None);
        var failed = await web.RequestAsync(Get("http://down.test/plain"), CancellationToken.None);
        var render = await web.RenderAsync(new WebRenderRequest(RenderMode.Text, "http://down.test/plain", TimeSpan.Zero), CancellationToken.None);

        Assert.That(ok.Value!.Status, Is.EqualTo(200));
        Assert.That(failed.UserError!.ToString(), Does.Contain("SENDING_REQUEST").And.Not.Contain(Secret).And.Not.Contain("bob"));
        Assert.That(render.UserError!.ToString(), Does.Contain("WEBPAGE_LOAD_FAILED").And.Not.Contain(Secret));
        Assert.That(string.Join("\n", logs.Lines), Does.Not.Contain(Secret));
    }

    [Test]
    public void Validate_MalformedRoute_FailsAtStartWithoutTheUrl()
    {
        var e = Assert.Throws<OptionsValidationException>(() => WebModuleTests.Build(("proxy_routes:0:host", "a.test"), ("proxy_routes:0:proxy", $"ftp://bob:{Secret}@127.0.0.1:1")));

        Assert.That(e!.Message, Does.Contain("proxy_routes[0]").And.Not.Contain(Secret));
    }

    [Test]
    [Category("Chromium")]
    public async Task RenderAsync_Chromium_EachHostTakesItsOwnRoute()
    {
        if (ChromiumBrowser.FindExecutable("") is null)
        {
            Assert.Ignore("chromium is not installed (scripts/install-deps installs it)");
        }

        await using var sp = WebModuleTests.Build(Routing(("browser_pool_size", "1")));
        var web = sp.GetRequiredService<IWebModule>();

        var plain = await web.RenderAsync(new WebRenderRequest(RenderMode.Text, "http://a.proxied.test/table", TimeSpan.Zero), CancellationToken.None);
        var authenticated = await web.RenderAsync(new WebRenderRequest(RenderMode.Text, "http://x.secure.test/article", TimeSpan.Zero), CancellationToken.None);
        var direct = await web.RenderAsync(new WebRenderRequest(RenderMode.Text, _site!.Url + "/entities", TimeSpan.Zero), CancellationToken.None);

        Assert.That(plain.Value!.Text, Does.StartWith("Prices"));
        Assert.That(authenticated.Value!.Text, Does.StartWith("Home | News"));
        Assert.That(direct.Value!.Text, Does.StartWith("caf"));
        Assert.That(_plain!.ForwardedHosts, Is.EqualTo(new[] { "a.proxied.test" }));
        Assert.That(_authenticated!.ForwardedHosts, Is.EqualTo(new[] { "x.secure.test" }));
        Assert.That(_authenticated.Challenged, Is.GreaterThanOrEqualTo(1));
    }
}
