using System.Numerics;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Modules.Web;
using GenVm.Tests.Modules.Scripting;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Modules.Web;

/// <summary>The AngleSharp renderer used when no browser is configured (docs/decisions.md "Web: AngleSharp renderer").</summary>
[TestFixture]
[Category("Network")]
public sealed class AngleSharpRendererTests
{
    private static ServiceProvider BuildStatic(params (string Key, string? Value)[] settings)
        => WebModuleTests.Build([("browser", "none"), .. settings]);

    private static string Cause(ModuleAnswer<WebRenderAnswer> answer) => answer.UserError!.AsMap()["causes"].AsArray()[0].AsString();

    private static CalldataValue Ctx(ModuleAnswer<WebRenderAnswer> answer, string key) => answer.UserError!.AsMap()["ctx"].AsMap()[key];

    private static Task<ModuleAnswer<WebRenderAnswer>> RenderAsync(ServiceProvider sp, RenderMode mode, string url)
        => sp.GetRequiredService<IWebModule>().RenderAsync(new WebRenderRequest(mode, url, TimeSpan.Zero), CancellationToken.None);

    [Test]
    public async Task RenderAsync_StaticArticle_GivesNormalisedText()
    {
        await using var site = await StaticPages.StartAsync();
        await using var sp = BuildStatic();

        var answer = await RenderAsync(sp, RenderMode.Text, site.Url + "/article");

        Assert.That(answer.Value!.Text, Does.StartWith("Home | News\nBitcoin price today\n\nThe price of BTC is $97,000. Updated 2024-11-20.\n\n"));
        Assert.That(answer.Value.Text, Does.EndWith("A quote\nfirst item\nsecond item\n\npara in li\n\nplain\n© 2024 Example & Co <tag>"));
    }

    [Test]
    public async Task RenderAsync_NotFoundPage_IsWebpageLoadFailedWithStatusAndText()
    {
        await using var site = await StaticPages.StartAsync();
        await using var sp = BuildStatic();

        var answer = await RenderAsync(sp, RenderMode.Text, site.Url + "/missing");

        Assert.That(Cause(answer), Is.EqualTo("WEBPAGE_LOAD_FAILED"));
        Assert.That(Ctx(answer, "status").AsNumber(), Is.EqualTo(new BigInteger(404)));
        Assert.That(Ctx(answer, "body").AsString(), Is.EqualTo("404 page not found\n"));
    }

    [Test]
    public async Task RenderAsync_RedirectToAllowedPage_FollowsIt()
    {
        await using var site = await StaticPages.StartAsync();
        await using var sp = BuildStatic();

        var answer = await RenderAsync(sp, RenderMode.Text, site.Url + "/redirect?to=" + Uri.EscapeDataString("/redirect?to=/plain"));

        Assert.That(answer.Value!.Text, Does.StartWith("line one\nindented line\n\nafter blanks"));
    }

    [TestCase("http://localhost/", "TLD_FORBIDDEN")]
    [TestCase("http://example.com:8080/", "PORT_FORBIDDEN")]
    [TestCase("file:///etc/passwd", "SCHEMA_FORBIDDEN")]
    public async Task RenderAsync_RedirectToForbiddenUrl_IsRefusedAtTheHop(string target, string cause)
    {
        await using var site = await StaticPages.StartAsync();
        await using var sp = BuildStatic();

        var answer = await RenderAsync(sp, RenderMode.Text, site.Url + "/redirect?to=" + Uri.EscapeDataString(target));

        Assert.That(Cause(answer), Is.EqualTo(cause));
    }

    [Test]
    public async Task RenderAsync_RedirectToNameResolvingToLoopback_IsAddressForbidden()
    {
        await using var site = await StaticPages.StartAsync();
        await using var sp = BuildStatic(("extra_tld:0", "localhost"));

        var answer = await RenderAsync(sp, RenderMode.Text, site.Url + "/redirect?to=" + Uri.EscapeDataString("http://localhost/"));

        Assert.That(Cause(answer), Is.EqualTo(UrlPolicy.AddressForbidden));
    }

    [Test]
    public async Task RenderAsync_SlowDocument_IsTimeoutStatus408()
    {
        await using var site = await StaticPages.StartAsync();
        await using var sp = BuildStatic(("load_timeout", "00:00:00.300"));

        var answer = await RenderAsync(sp, RenderMode.Text, site.Url + "/hang");

        Assert.That(Cause(answer), Is.EqualTo("WEBPAGE_LOAD_FAILED"));
        Assert.That(Ctx(answer, "status").AsNumber(), Is.EqualTo(new BigInteger(408)));
        Assert.That(Ctx(answer, "body").AsString(), Is.EqualTo("Navigation timeout"));
    }

    [Test]
    public async Task RenderAsync_DocumentOverSizeCap_IsNavigationFailure418()
    {
        await using var site = await StaticPages.StartAsync();
        await using var sp = BuildStatic(("max_document_bytes", "4096"));

        var answer = await RenderAsync(sp, RenderMode.Html, site.Url + "/big");

        Assert.That(Ctx(answer, "status").AsNumber(), Is.EqualTo(new BigInteger(418)));
        Assert.That(Ctx(answer, "body").AsString(), Does.Contain("4096"));
    }

    [Test]
    public async Task RenderAsync_ConnectionRefused_IsStatus503()
    {
        string url;
        await using (var site = await StaticPages.StartAsync())
        {
            url = site.Url + "/gone";
        }

        await using var sp = BuildStatic();

        var answer = await RenderAsync(sp, RenderMode.Text, url);

        Assert.That(Ctx(answer, "status").AsNumber(), Is.EqualTo(new BigInteger(503)));
    }

    [Test]
    public async Task RenderAsync_ScreenshotWithoutBrowser_IsFatal()
    {
        // The reference's render service answers 500 for an unexpected failure and the script raises the fatal
        // STATUS_NOT_OK (modules.md §4.4 step 5, §4.7); a node without a browser cannot take screenshots.
        await using var site = await StaticPages.StartAsync();
        await using var sp = BuildStatic();

        var e = await Assert.ThrowsAsync<ModuleFatalException>(() => RenderAsync(sp, RenderMode.Screenshot, site.Url + "/article"));

        Assert.That(e!.Message, Does.Contain("STATUS_NOT_OK"));
    }

    [Test]
    public async Task RenderAsync_JavaScriptOnlyContent_IsMissingWithoutBrowser()
    {
        await using var site = await StaticPages.StartAsync();
        await using var sp = BuildStatic();

        var answer = await RenderAsync(sp, RenderMode.Text, site.Url + "/js");

        Assert.That(answer.Value!.Text, Is.EqualTo("static text"));
    }
}
