using System.Net;
using System.Net.Sockets;
using System.Text;
using AngleSharp;
using AngleSharp.Io;
using AngleSharp.Scripting;
using GenVm.Core.Modules;
using GenVm.Modules.Scripting;

namespace GenVm.Modules.Web;

/// <summary>
/// The render service's <c>text</c> and <c>html</c> modes without a browser (modules.md §4.4): one GET with every
/// redirect hop re-checked by the URL policy (and the address check at connect time), bounded in time and size, then
/// the document parsed by AngleSharp. Scripts do not run, so JavaScript-made content is missing; static content gives
/// Chromium's strings (<see cref="StaticInnerText"/>, then the same post-processing, <see cref="RenderText"/>).
/// </summary>
internal sealed class AngleSharpRenderer
{
    private readonly HttpMessageInvoker _network;
    private readonly UrlPolicy? _policy;
    private readonly StaticRendererOptions _options;
    private readonly IConfiguration _configuration;

    /// <param name="network">An invoker that does not follow redirects (the module's policy-checking handler).</param>
    /// <param name="policy">The URL policy for every hop, or null to allow all (tests).</param>
    /// <param name="options">Time, size and redirect bounds.</param>
    public AngleSharpRenderer(HttpMessageInvoker network, UrlPolicy? policy, StaticRendererOptions options)
    {
        _network = network;
        _policy = policy;
        _options = options;

        // A scripting service that runs nothing: the parser then treats <noscript> as Chromium does with scripts on.
        _configuration = Configuration.Default.With(new NoScripts());
    }

    /// <summary>Renders <paramref name="url"/> as <c>text</c> or <c>html</c>.</summary>
    /// <exception cref="LuaModuleError">The URL policy refused a hop.</exception>
    /// <exception cref="NotSupportedException"><paramref name="mode"/> is <c>screenshot</c>, which needs a browser.</exception>
    public async Task<RenderResult> RenderAsync(string url, RenderMode mode, CancellationToken cancellationToken)
    {
        if (mode == RenderMode.Screenshot)
        {
            throw new NotSupportedException("screenshot mode needs a browser and none is configured");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.LoadTimeout);
        try
        {
            return await FetchAndRenderAsync(new Uri(url), mode, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failure(408, "Navigation timeout");
        }
    }

    private async Task<RenderResult> FetchAndRenderAsync(Uri url, RenderMode mode, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            // Every hop passes the policy, as for requests (docs/decisions.md "Web: URL policy").
            if (_policy?.Check(url) is { } refused)
            {
                throw refused;
            }

            using var request = new HttpRequestMessage(System.Net.Http.HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (compatible; GenVM-static-renderer)");
            HttpResponseMessage response;
            try
            {
                response = await _network.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                if (UrlPolicyException.Find(e) is { } policyError)
                {
                    throw policyError;
                }

                return NavigationFailure(e);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    if (hop >= _options.MaxRedirects)
                    {
                        return Failure(418, "Navigation failed: net::ERR_TOO_MANY_REDIRECTS");
                    }

                    url = location.IsAbsoluteUri ? location : new Uri(url, location);
                    continue;
                }

                byte[] body;
                try
                {
                    body = await BoundedContent.ReadAsync(response.Content, _options.MaxDocumentBytes, "document", cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    return Failure(418, "Navigation failed: " + e.Message);
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    return Failure(418, "Navigation failed: " + e.Message);
                }

                var content = await ContentAsync(url, response.Content.Headers.ContentType, body, mode, cancellationToken).ConfigureAwait(false);
                return content is null
                    ? Failure(418, "Navigation failed: net::ERR_ABORTED")
                    : new RenderResult(status, Encoding.UTF8.GetBytes(content));
            }
        }
    }

    private async Task<string?> ContentAsync(Uri url, System.Net.Http.Headers.MediaTypeHeaderValue? contentType, byte[] body, RenderMode mode, CancellationToken cancellationToken)
    {
        var mediaType = contentType?.MediaType?.ToLowerInvariant() ?? (LooksLikeHtml(body) ? "text/html" : "text/plain");
        if (mediaType is "text/html" or "application/xhtml+xml")
        {
            using var context = BrowsingContext.New(_configuration);
            var header = contentType?.CharSet is { Length: > 0 } charset ? "text/html; charset=" + charset : "text/html";
            using var document = await context.OpenAsync(
                response => response.Content(new MemoryStream(body), shouldDispose: true).Address(url.AbsoluteUri).Header(HeaderNames.ContentType, header),
                cancellationToken).ConfigureAwait(false);
            if (document.Body is not { } documentBody)
            {
                return "";
            }

            return mode == RenderMode.Html ? documentBody.InnerHtml : RenderText.Normalize(StaticInnerText.Of(documentBody));
        }

        if (!IsTextual(mediaType))
        {
            // Chromium downloads other types instead of rendering them: the navigation is aborted.
            return null;
        }

        // Chromium shows a text document as one <pre> (what its innerText and innerHTML then give); JSON gets a plain
        // <pre> and the empty container of its formatter.
        // The HTML parser's input preprocessing turns CR LF and lone CR into LF.
        var text = Decode(body, contentType?.CharSet).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var json = mediaType is "application/json" or "text/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);
        return mode != RenderMode.Html ? RenderText.Normalize(text)
            : json ? "<pre>" + EscapeText(text) + "</pre><div class=\"json-formatter-container\"></div>"
            : "<pre style=\"word-wrap: break-word; white-space: pre-wrap;\">" + EscapeText(text) + "</pre>";
    }

    private static bool IsTextual(string mediaType)
        => mediaType.StartsWith("text/", StringComparison.Ordinal)
            || mediaType is "application/json" or "application/javascript" or "application/xml" or "application/ecmascript"
            || mediaType.EndsWith("+json", StringComparison.Ordinal)
            || mediaType.EndsWith("+xml", StringComparison.Ordinal);

    private static bool LooksLikeHtml(byte[] body)
    {
        // The MIME sniffing standard's HTML patterns, after leading whitespace, for a response without Content-Type.
        var start = 0;
        while (start < body.Length && body[start] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f')
        {
            start++;
        }

        var head = Encoding.ASCII.GetString(body, start, Math.Min(body.Length - start, 16)).ToUpperInvariant();
        if (head.StartsWith("<!--", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var tag in new[] { "<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P" })
        {
            if (head.StartsWith(tag, StringComparison.Ordinal) && head.Length > tag.Length && head[tag.Length] is ' ' or '>')
            {
                return true;
            }
        }

        return false;
    }

    private static string Decode(byte[] body, string? charset)
    {
        if (charset is { Length: > 0 })
        {
            try
            {
                return Encoding.GetEncoding(charset.Trim('"')).GetString(body);
            }
            catch (ArgumentException)
            {
                // An unknown label falls back to detection, as in browsers.
            }
        }

        if (body.AsSpan().StartsWith("\uFEFF"u8))
        {
            return Encoding.UTF8.GetString(body, 3, body.Length - 3);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(body);
        }
    }

    private static string EscapeText(string text)
    {
        // The HTML fragment serialisation of a text node.
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\u00A0' => "&nbsp;",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    private static RenderResult NavigationFailure(HttpRequestException e)
    {
        // modules.md §4.4 step 2: the render service's statuses for navigation failures, as the Chromium path gives them.
        var socket = FindSocketError(e);
        return socket switch
        {
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => Failure(502, "DNS resolution failed"),
            SocketError.ConnectionRefused => Failure(503, "Connection refused"),
            SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown => Failure(503, "No internet connection"),
            SocketError.TimedOut => Failure(408, "Navigation timeout"),
            _ when e.HttpRequestError == HttpRequestError.NameResolutionError => Failure(502, "DNS resolution failed"),
            _ when e.HttpRequestError == HttpRequestError.SecureConnectionError => Failure(495, "Certificate error"),
            _ => Failure(418, "Navigation failed: " + e.Message),
        };
    }

    private static SocketError? FindSocketError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException s)
            {
                return s.SocketErrorCode;
            }
        }

        return null;
    }

    private static RenderResult Failure(int status, string message) => new(status, Encoding.UTF8.GetBytes(message));

    private sealed class NoScripts : IScriptingService
    {
        public bool SupportsType(string mimeType) => false;

        public Task EvaluateScriptAsync(IResponse response, ScriptOptions options, CancellationToken cancel) => Task.CompletedTask;
    }
}
