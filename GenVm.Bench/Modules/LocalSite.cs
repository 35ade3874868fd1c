using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GenVm.Bench.Modules;

/// <summary>
/// A Kestrel server on 127.0.0.1 for the modules bench: <c>POST /v1/chat/completions</c> answers like an
/// OpenAI-compatible provider (fixed text, token usage), <c>GET /page</c> is a page whose second paragraph only
/// JavaScript creates.
/// </summary>
internal sealed class LocalSite : IAsyncDisposable
{
    /// <summary>The provider's answer body.</summary>
    public const string CompletionJson =
        """{"id":"b","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"four"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}""";

    private const string PageHtml =
        "<!doctype html><html><head><title>bench</title></head><body><h1>Bench page</h1><p>static text</p>"
        + "<script>const d = document.createElement('div'); d.textContent = 'made by javascript'; document.body.appendChild(d);</script>"
        + "</body></html>";

    private readonly WebApplication _app;

    private LocalSite(WebApplication app)
    {
        _app = app;
        BaseUrl = app.Urls.Single().TrimEnd('/');
    }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string BaseUrl { get; }

    public static async Task<LocalSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Path == "/page")
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(PageHtml, context.RequestAborted);
                return;
            }

            // Read the whole request, as a real provider does.
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(CompletionJson, context.RequestAborted);
        });
        await app.StartAsync();
        return new LocalSite(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
