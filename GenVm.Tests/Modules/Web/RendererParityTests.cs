using GenVm.Core.Modules;
using GenVm.Modules.Web;
using GenVm.Tests.Modules.Scripting;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Modules.Web;

/// <summary>
/// The AngleSharp renderer against real Chromium on the same static pages: the post-processed text (modules.md §4.4
/// step 4) and the body html must be equal; only script-made content differs.
/// </summary>
[TestFixture]
[Category("Chromium")]
[NonParallelizable]
public sealed class RendererParityTests
{
    private LuaScriptStateTests.TestSite? _site;
    private ServiceProvider? _chromium;
    private ServiceProvider? _static;

    private static IEnumerable<string> StaticPaths => StaticPages.Pages.Keys;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (ChromiumBrowser.FindExecutable("") is null)
        {
            Assert.Ignore("chromium is not installed (scripts/install-deps installs it)");
        }

        _site = await StaticPages.StartAsync();
        _chromium = WebModuleTests.Build(("browser_pool_size", "1"));
        _static = WebModuleTests.Build(("browser", "none"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_static is not null)
        {
            await _static.DisposeAsync();
        }

        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
    }

    private async Task<(string Chromium, string Static)> BothAsync(RenderMode mode, string path)
    {
        var request = new WebRenderRequest(mode, _site!.Url + path, TimeSpan.Zero);
        var chromium = await _chromium!.GetRequiredService<IWebModule>().RenderAsync(request, CancellationToken.None);
        var angle = await _static!.GetRequiredService<IWebModule>().RenderAsync(request, CancellationToken.None);
        Assert.That(chromium.IsOk && angle.IsOk, Is.True, $"{path}: {chromium.UserError} / {angle.UserError}");
        return (chromium.Value!.Text!, angle.Value!.Text!);
    }

    [TestCaseSource(nameof(StaticPaths))]
    public async Task RenderAsync_StaticPageText_EqualsChromium(string path)
    {
        var (chromium, angle) = await BothAsync(RenderMode.Text, path);

        Assert.That(angle, Is.EqualTo(chromium));
        Assert.That(angle, Is.Not.Empty);
    }

    [TestCaseSource(nameof(StaticPaths))]
    public async Task RenderAsync_StaticPageHtml_EqualsChromium(string path)
    {
        var (chromium, angle) = await BothAsync(RenderMode.Html, path);

        Assert.That(angle, Is.EqualTo(chromium));
    }

    [Test]
    public async Task RenderAsync_ScriptMadeContent_OnlyChromiumHasIt()
    {
        var (chromium, angle) = await BothAsync(RenderMode.Text, "/js");

        Assert.That(chromium, Is.EqualTo("static text\n\nmade by javascript"));
        Assert.That(angle, Is.EqualTo("static text"));
    }
}
