using GenVm.Tests.Modules.Llm;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus <c>web.render</c> cases (contract-corpus.md §2.17 <c>nondet/web/get_webpage_text</c>, <c>_html</c>,
/// <c>_404</c>; python-sdk.md §9; modules.md §4.4) through <c>genvm exec</c> with the real web module configured with
/// <c>browser: none</c>, so the AngleSharp renderer serves text and html renders of a local page (no Chromium needed).
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusWebRenderTests
{
    private const string Page =
        "<!DOCTYPE html><html><head><title>T</title><style>p { color: red }</style></head>"
        + "<body><h1>Hello</h1>\n<p>world   of <b>pages</b></p><script>var x = 1;</script></body></html>";

    private FakeProviderServer? _site;
    private string _heading = "Hello";

    [SetUp]
    public async Task SetUp()
    {
        _heading = "Hello";
        _site = await FakeProviderServer.StartAsync((request, context) =>
        {
            if (request.Path == "/page")
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                return context.Response.WriteAsync(Page.Replace("Hello", _heading, StringComparison.Ordinal), context.RequestAborted);
            }

            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("404 page not found\n", context.RequestAborted);
        });
    }

    [TearDown]
    public async Task TearDown() => await _site!.DisposeAsync();

    private CorpusExec Exec() => CorpusExec.CreateOrIgnore(services =>
        services.AddWebModule(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["always_allow_hosts:0"] = "127.0.0.1",
            ["vm_count"] = "2",
            ["browser"] = "none",
        }).Build()));

    private string Args(string path, string? mode = null)
        => mode is null ? $"[\"{_site!.BaseUrl}{path}\"]" : $"[\"{_site!.BaseUrl}{path}\", \"{mode}\"]";

    [Test]
    public async Task Exec_RenderText_ReturnsTheBodyInnerTextNormalisedAndValidatorAgrees()
    {
        await using var exec = Exec();

        await exec.RunAsync("web_render.py", "--deploy");
        var leader = await exec.ResultAsync("web_render.py", "--method", "render", "--args", Args("/page", "text"));
        var validator = await exec.RunAsync("web_render.py", "--method", "render", "--args", Args("/page", "text"), "--validator");
        _heading = "Goodbye";
        var disagreeing = await exec.RunAsync("web_render.py", "--method", "render", "--args", Args("/page", "text"), "--validator");

        // modules.md §4.4 step 4: the body's innerText (no title, style or script; <p> gets blank lines around it),
        // whitespace runs collapsed within a line.
        Assert.That(leader, Is.EqualTo(CorpusExec.ReturnsString("Hello\n\nworld of pages")));
        Assert.That(validator, Does.StartWith(CorpusExec.ReturnsString("Hello\n\nworld of pages")));
        Assert.That(validator, Does.Not.Contain("nondet disagreement"));
        // A page that changed between leader and validator: strict_eq disagrees on call 0.
        Assert.That(disagreeing, Does.StartWith(CorpusExec.ReturnsString("Hello\n\nworld of pages") + "nondet disagreement: 0\n"));
        Assert.That(_site!.Requests.Count(r => r.Path == "/page"), Is.EqualTo(3));
    }

    [Test]
    public async Task Exec_RenderHtml_ReturnsTheBodyInnerHtmlUntrimmed()
    {
        await using var exec = Exec();

        await exec.RunAsync("web_render.py", "--deploy");
        var leader = await exec.ResultAsync("web_render.py", "--method", "render", "--args", Args("/page", "html"));
        var validator = await exec.RunAsync("web_render.py", "--method", "render", "--args", Args("/page", "html"), "--validator");

        // modules.md §4.4 step 4: html → the body's inner HTML as parsed (whitespace and script kept).
        const string Html = "<h1>Hello</h1>\n<p>world   of <b>pages</b></p><script>var x = 1;</script>";
        Assert.That(leader, Is.EqualTo(CorpusExec.ReturnsString(Html)));
        Assert.That(validator, Does.StartWith(CorpusExec.ReturnsString(Html)));
        Assert.That(validator, Does.Not.Contain("nondet disagreement"));
    }

    [Test]
    public async Task Exec_RenderMissingPage_RaisesNondetExceptionWithWebpageLoadFailedAndStatus()
    {
        await using var exec = Exec();

        await exec.RunAsync("web_render.py", "--deploy");
        var leader = await exec.ResultAsync("web_render.py", "--method", "missing", "--args", Args("/missing"));

        // python-sdk.md §9 / modules.md §4.4 (get_webpage_404): NondetException({'causes': ['WEBPAGE_LOAD_FAILED'],
        // 'ctx': {'body': <the 404 page's text>, 'status': 404, 'url': …}}).
        Assert.That(leader, Is.EqualTo(CorpusExec.ReturnsString("['WEBPAGE_LOAD_FAILED'] 404 '404 page not found\\n'")));
    }
}
