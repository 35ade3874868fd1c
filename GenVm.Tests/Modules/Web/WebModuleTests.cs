using System.Buffers.Binary;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Modules.Web;
using GenVm.Tests.Modules.Scripting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenVm.Tests.Modules.Web;

/// <summary>The web module's Request path (modules.md §4.5) against a local site, and the policy on every hop.</summary>
[TestFixture]
[Category("Network")]
public sealed class WebModuleTests
{
    internal static ServiceProvider Build(params (string Key, string? Value)[] settings)
    {
        var config = new Dictionary<string, string?> { ["always_allow_hosts:0"] = "127.0.0.1", ["vm_count"] = "2" };
        foreach (var (k, v) in settings)
        {
            config[k] = v;
        }

        var services = new ServiceCollection();
        services.AddWebModule(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    internal static Task<LuaScriptStateTests.TestSite> SiteAsync()
        => LuaScriptStateTests.StartServerAsync(async context =>
        {
            var path = context.Request.Path.Value;
            var query = context.Request.Query;
            switch (path)
            {
                case "/redirect":
                    context.Response.StatusCode = 302;
                    context.Response.Headers.Location = query["to"].ToString();
                    return;
                case "/missing":
                    context.Response.StatusCode = 404;
                    await context.Response.WriteAsync("404 page not found\n");
                    return;
                case "/js":
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync("""
                        <html><body><p>static   text</p>
                        <script>const d = document.createElement('div'); d.textContent = 'made by ' + 'javascript'; document.body.appendChild(d);</script>
                        </body></html>
                        """);
                    return;
                case "/late":
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync("""
                        <html><body><p>early</p>
                        <script>setTimeout(() => { const d = document.createElement('div'); d.textContent = 'late content'; document.body.appendChild(d); }, 150);</script>
                        </body></html>
                        """);
                    return;
                case "/hang":
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    return;
                default:
                    context.Response.Headers["X-Echo-Method"] = context.Request.Method;
                    using (var reader = new StreamReader(context.Request.Body))
                    {
                        var body = await reader.ReadToEndAsync();
                        await context.Response.WriteAsync($"{context.Request.Method} {path} {context.Request.Headers["x-a"]} {body}");
                    }

                    return;
            }
        });

    private static WebHttpRequest Get(string url, string method = "GET", string? body = null)
        => new(method, url, new Dictionary<string, ReadOnlyMemory<byte>> { ["x-a"] = "hdr"u8.ToArray() }, body is null ? null : Encoding.UTF8.GetBytes(body), false);

    private static string Cause(CalldataValue? error) => error!.AsMap()["causes"].AsArray()[0].AsString();

    [Test]
    public async Task RequestAsync_AllowedLoopbackSite_ReturnsResponse()
    {
        await using var site = await SiteAsync();
        await using var sp = Build();
        var web = sp.GetRequiredService<IWebModule>();

        var answer = await web.RequestAsync(Get(site.Url + "/echo", "POST", "payload"), CancellationToken.None);

        Assert.That(answer.IsOk, Is.True);
        Assert.That(answer.Value!.Status, Is.EqualTo(200));
        Assert.That(Encoding.UTF8.GetString(answer.Value.Body.Span), Is.EqualTo("POST /echo hdr payload"));
        Assert.That(Encoding.UTF8.GetString(answer.Value.Headers["x-echo-method"].Span), Is.EqualTo("POST"));
    }

    [Test]
    public async Task RequestAsync_NotFound_IsOkWithStatus()
    {
        await using var site = await SiteAsync();
        await using var sp = Build();

        var answer = await sp.GetRequiredService<IWebModule>().RequestAsync(Get(site.Url + "/missing"), CancellationToken.None);

        Assert.That(answer.Value!.Status, Is.EqualTo(404));
    }

    [TestCase("http://localhost/", "TLD_FORBIDDEN")]
    [TestCase("http://localhost:1/", "PORT_FORBIDDEN")]
    [TestCase("http://169.254.169.254/latest/meta-data/", "TLD_FORBIDDEN")]
    [TestCase("http://example.com:8080/", "PORT_FORBIDDEN")]
    [TestCase("file:///etc/passwd", "SCHEMA_FORBIDDEN")]
    public async Task RequestAsync_RedirectToForbiddenUrl_IsRefusedAtTheHop(string target, string cause)
    {
        // The reference follows redirects unchecked (§4.3); we check every hop.
        await using var site = await SiteAsync();
        await using var sp = Build();

        var answer = await sp.GetRequiredService<IWebModule>()
            .RequestAsync(Get(site.Url + "/redirect?to=" + Uri.EscapeDataString(target)), CancellationToken.None);

        Assert.That(answer.IsOk, Is.False);
        Assert.That(Cause(answer.UserError), Is.EqualTo(cause));
    }

    [TestCase("http://localhost/", "TLD_FORBIDDEN")]
    [TestCase("http://127.0.0.2/", "TLD_FORBIDDEN")]
    [TestCase("http://user@127.0.0.2:8080/", "PORT_FORBIDDEN")]
    [TestCase("ftp://example.com/", "SCHEMA_FORBIDDEN")]
    [TestCase("example.com/no-scheme", "MALFORMED_URL")]
    public async Task RequestAsync_ForbiddenUrl_IsUserErrorBeforeAnyConnection(string url, string cause)
    {
        await using var sp = Build();

        var answer = await sp.GetRequiredService<IWebModule>().RequestAsync(Get(url), CancellationToken.None);

        Assert.That(Cause(answer.UserError), Is.EqualTo(cause));
        Assert.That(answer.UserError!.AsMap()["ctx"].AsMap().ContainsKey("url"), Is.True);
    }

    [Test]
    public async Task RequestAsync_NameResolvingToLoopback_IsAddressForbidden()
    {
        // `localhost` passes the name checks once its TLD is allowed; the connect-time check still refuses 127.0.0.1.
        await using var sp = Build(("extra_tld:0", "localhost"));

        var answer = await sp.GetRequiredService<IWebModule>().RequestAsync(Get("http://localhost/"), CancellationToken.None);

        Assert.That(Cause(answer.UserError), Is.EqualTo(UrlPolicy.AddressForbidden));
        Assert.That(answer.UserError!.AsMap()["ctx"].AsMap()["host"].AsString(), Is.EqualTo("localhost"));
    }

    [Test]
    public async Task RequestAsync_ConnectionRefused_IsNonFatalSendingRequest()
    {
        string url;
        await using (var site = await SiteAsync())
        {
            url = site.Url + "/gone";
        }

        await using var sp = Build();

        var answer = await sp.GetRequiredService<IWebModule>().RequestAsync(Get(url), CancellationToken.None);

        Assert.That(Cause(answer.UserError), Is.EqualTo("SENDING_REQUEST"));
    }

    [Test]
    public async Task RenderAsync_ForbiddenUrl_IsUserErrorWithoutBrowser()
    {
        await using var sp = Build(("browser", "none"));

        var answer = await sp.GetRequiredService<IWebModule>().RenderAsync(new WebRenderRequest(RenderMode.Text, "file:///etc/passwd", TimeSpan.Zero), CancellationToken.None);

        Assert.That(Cause(answer.UserError), Is.EqualTo("SCHEMA_FORBIDDEN"));
    }

    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    internal static (int Width, int Height) PngSize(ReadOnlySpan<byte> png)
    {
        Assert.That(png[..8].ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        Assert.That(Encoding.ASCII.GetString(png[12..16]), Is.EqualTo("IHDR"));
        return (BinaryPrimitives.ReadInt32BigEndian(png[16..20]), BinaryPrimitives.ReadInt32BigEndian(png[20..24]));
    }
}
