using System.Text;
using GenVm.Core.Modules;
using GenVm.Modules.Web;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Modules.Web;

/// <summary>Rendering with real headless Chromium (modules.md §4.4) against a local Kestrel site.</summary>
[TestFixture]
[Category("Chromium")]
[NonParallelizable]
public sealed class ChromiumRenderTests
{
    [OneTimeSetUp]
    public void RequireChromium()
    {
        if (ChromiumBrowser.FindExecutable("") is null)
        {
            Assert.Ignore("chromium is not installed (scripts/install-deps installs it)");
        }
    }

    private static string Cause(ModuleAnswer<WebRenderAnswer> answer) => answer.UserError!.AsMap()["causes"].AsArray()[0].AsString();

    [Test]
    public async Task RenderAsync_Text_IncludesJavaScriptContentAndNormalisesWhitespace()
    {
        await using var site = await WebModuleTests.SiteAsync();
        await using var sp = WebModuleTests.Build();

        var answer = await sp.GetRequiredService<IWebModule>().RenderAsync(new WebRenderRequest(RenderMode.Text, site.Url + "/js", TimeSpan.Zero), CancellationToken.None);

        Assert.That(answer.Value!.Text, Is.EqualTo("static text\n\nmade by javascript"), "a paragraph ends with a blank line in innerText");
    }

    [Test]
    public async Task RenderAsync_HtmlAndScreenshot_GiveBodyHtmlAndA960x540Png()
    {
        await using var site = await WebModuleTests.SiteAsync();
        await using var sp = WebModuleTests.Build();
        var web = sp.GetRequiredService<IWebModule>();

        var html = await web.RenderAsync(new WebRenderRequest(RenderMode.Html, site.Url + "/js", TimeSpan.Zero), CancellationToken.None);
        var shot = await web.RenderAsync(new WebRenderRequest(RenderMode.Screenshot, site.Url + "/js", TimeSpan.Zero), CancellationToken.None);

        Assert.That(html.Value!.Text, Does.Contain("<p>static   text</p>").And.Contain("<div>made by javascript</div>"));
        Assert.That(WebModuleTests.PngSize(shot.Value!.Image!.Value.Span), Is.EqualTo((960, 540)));
    }

    [Test]
    public async Task RenderAsync_WaitAfterLoaded_SeesContentAddedLater()
    {
        await using var site = await WebModuleTests.SiteAsync();
        await using var sp = WebModuleTests.Build();

        var answer = await sp.GetRequiredService<IWebModule>().RenderAsync(new WebRenderRequest(RenderMode.Text, site.Url + "/late", TimeSpan.FromSeconds(1)), CancellationToken.None);

        Assert.That(answer.Value!.Text, Is.EqualTo("early\n\nlate content"));
    }

    [Test]
    public async Task RenderAsync_NotFoundPage_IsWebpageLoadFailedWithStatusAndText()
    {
        await using var site = await WebModuleTests.SiteAsync();
        await using var sp = WebModuleTests.Build();

        var answer = await sp.GetRequiredService<IWebModule>().RenderAsync(new WebRenderRequest(RenderMode.Text, site.Url + "/missing", TimeSpan.Zero), CancellationToken.None);

        Assert.That(Cause(answer), Is.EqualTo("WEBPAGE_LOAD_FAILED"));
        var ctx = answer.UserError!.AsMap()["ctx"].AsMap();
        Assert.That(ctx["status"].AsNumber(), Is.EqualTo(new System.Numerics.BigInteger(404)));
        Assert.That(ctx["body"].AsString(), Is.EqualTo("404 page not found\n"));
        Assert.That(ctx["url"].AsString(), Is.EqualTo(site.Url + "/missing"));
    }

    [Test]
    public async Task RenderAsync_BrowserRedirectToForbiddenHost_IsRefused()
    {
        await using var site = await WebModuleTests.SiteAsync();
        await using var sp = WebModuleTests.Build();

        var answer = await sp.GetRequiredService<IWebModule>().RenderAsync(
            new WebRenderRequest(RenderMode.Text, site.Url + "/redirect?to=" + Uri.EscapeDataString("http://localhost/"), TimeSpan.Zero), CancellationToken.None);

        Assert.That(Cause(answer), Is.EqualTo("TLD_FORBIDDEN"));
    }

    [Test]
    public async Task Dispose_AfterCancelledRender_LeavesNoBrowserProcess()
    {
        await using var site = await WebModuleTests.SiteAsync();
        var sp = WebModuleTests.Build();
        var web = (WebModule)sp.GetRequiredService<IWebModule>();
        await web.RenderAsync(new WebRenderRequest(RenderMode.Text, site.Url + "/js", TimeSpan.Zero), CancellationToken.None);
        var pids = web.Browsers!.ProcessIds.ToList();
        using var cts = new CancellationTokenSource();
        var hanging = web.RenderAsync(new WebRenderRequest(RenderMode.Text, site.Url + "/hang", TimeSpan.Zero), cts.Token);
        await cts.CancelAsync();

        Assert.That(async () => await hanging, Throws.InstanceOf<OperationCanceledException>());
        pids.AddRange(web.Browsers.ProcessIds);
        await sp.DisposeAsync();

        Assert.That(pids, Is.Not.Empty);
        foreach (var pid in pids.Distinct())
        {
            Assert.That(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), Is.False, $"browser {pid} still running");
        }

        Assert.That(Encoding.ASCII.GetString(File.ReadAllBytes("/proc/self/cmdline")), Is.Not.Empty);
    }
}
