using System.Globalization;
using System.Net;
using System.Text;
using GenVm.Core.Modules;
using GenVm.Modules.Scripting;
using Microsoft.AspNetCore.WebUtilities;

namespace GenVm.Modules.Web;

/// <summary>
/// The reference's render service (modules.md §4.4), served in process: scripts call
/// <c>GET {webdriver_host}/render?url=…&amp;mode=…&amp;waitAfterLoaded=…</c> through <c>request</c>, and this handler
/// answers for that origin without any network hop: 200 with <c>Resulting-Status</c> and the content, 400 for bad
/// parameters, 404 for other paths. Other origins go to the inner handler.
/// </summary>
internal sealed class RenderService : DelegatingHandler
{
    private readonly Uri _origin;
    private readonly Func<string, RenderMode, TimeSpan, CancellationToken, Task<RenderResult>> _render;

    /// <param name="origin">The <c>webdriver_host</c> origin.</param>
    /// <param name="render">The renderer (Chromium pool or AngleSharp).</param>
    /// <param name="inner">Handler for every other origin.</param>
    public RenderService(Uri origin, Func<string, RenderMode, TimeSpan, CancellationToken, Task<RenderResult>> render, HttpMessageHandler inner)
        : base(inner)
    {
        _origin = origin;
        _render = render;
    }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        return Uri.Compare(uri, _origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? ServeAsync(uri, cancellationToken)
            : base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> ServeAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (uri.AbsolutePath != "/render")
        {
            return Plain(HttpStatusCode.NotFound, "Not found");
        }

        var query = QueryHelpers.ParseQuery(uri.Query);
        if (!query.TryGetValue("url", out var url) || string.IsNullOrEmpty(url))
        {
            return Plain(HttpStatusCode.BadRequest, "Missing url parameter");
        }

        RenderMode? mode = query.TryGetValue("mode", out var m) ? m.ToString() switch
        {
            "text" => RenderMode.Text,
            "html" => RenderMode.Html,
            "screenshot" => RenderMode.Screenshot,
            _ => null,
        } : null;
        if (mode is null)
        {
            return Plain(HttpStatusCode.BadRequest, "Invalid mode parameter");
        }

        var wait = query.TryGetValue("waitAfterLoaded", out var w) && double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 600))
            : TimeSpan.Zero;
        RenderResult result;
        try
        {
            result = await _render(url.ToString(), mode.Value, wait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CdpException or NotSupportedException)
        {
            // The reference service answers unexpected failures with 500 and a JSON error (§4.4 step 5); a screenshot
            // without a browser is one (docs/decisions.md "Web: AngleSharp renderer").
            return new HttpResponseMessage(HttpStatusCode.InternalServerError)
            {
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(e.Message))),
            };
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(result.Body) };
        response.Headers.TryAddWithoutValidation("Resulting-Status", result.Status.ToString(CultureInfo.InvariantCulture));
        response.Content.Headers.TryAddWithoutValidation("Content-Type", mode == RenderMode.Screenshot ? "image/png" : mode == RenderMode.Html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8");
        return response;
    }

    private static HttpResponseMessage Plain(HttpStatusCode status, string text)
        => new(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text)) };
}
