using System.Net;
using System.Text;
using System.Text.Json;

namespace GenVm.Modules.Scripting;

/// <summary>
/// The <c>request(ctx, req)</c> host function (modules.md §5.2, §4.5): methods, headers, body, optional signing,
/// <c>json</c> and <c>error_on_status</c>. Unlike the reference it follows redirects itself so every hop goes through
/// the <see cref="IUrlHopPolicy"/>, and it bounds time and body size (<see cref="ScriptHttpOptions"/>).
/// </summary>
internal sealed class ScriptHttp
{
    /// <summary>Methods the wire format allows (modules.md §2.6; no PUT).</summary>
    public static IReadOnlyList<string> Methods { get; } = ["GET", "POST", "HEAD", "DELETE", "OPTIONS", "PATCH"];

    private readonly HttpMessageInvoker _http;
    private readonly ScriptHttpOptions _options;
    private readonly IUrlHopPolicy? _policy;
    private readonly RequestSigner _signer;
    private long _requests;
    private long _elapsedTicks;

    /// <param name="http">An invoker that does not follow redirects itself.</param>
    /// <param name="options">Bounds and signer settings.</param>
    /// <param name="policy">Hop policy, or null to allow every URL (LLM module).</param>
    /// <param name="time">Clock for signatures.</param>
    public ScriptHttp(HttpMessageInvoker http, ScriptHttpOptions options, IUrlHopPolicy? policy, TimeProvider time)
    {
        _http = http;
        _options = options;
        _policy = policy;
        _signer = new RequestSigner(http, options, time);
    }

    /// <summary>Request count and total milliseconds (<c>GetStats</c>, modules.md §2.3).</summary>
    public (long Requests, long Milliseconds) Stats => (Interlocked.Read(ref _requests), Interlocked.Read(ref _elapsedTicks) / TimeSpan.TicksPerMillisecond);

    /// <summary>The handler for scripts' HTTP: no automatic redirects, no cookies, decompression, optional proxy.</summary>
    public static SocketsHttpHandler CreateHandler(ScriptHttpOptions options, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (options.Proxy.Length > 0)
        {
            handler.Proxy = new WebProxy(options.Proxy);
            handler.UseProxy = true;
        }
        else
        {
            handler.UseProxy = false;
        }

        if (connect is not null)
        {
            handler.ConnectCallback = connect;
        }

        return handler;
    }

    /// <summary>Host function body: <paramref name="call"/> is <c>(ctx, req)</c>.</summary>
    public async ValueTask<object?> RequestAsync(LuaHostCall call)
    {
        var req = call.TableArg(1);
        var method = req.GetString("method") ?? "";
        if (!Methods.Contains(method))
        {
            throw LuaModuleError.Create("DESERIALIZING", true, ("rust_error", $"unknown variant `{method}`, expected one of {string.Join(", ", Methods)}"));
        }

        var urlText = req.GetString("url") ?? throw LuaModuleError.Create("DESERIALIZING", true, ("rust_error", "missing field `url`"));
        var body = req["body"] as byte[];
        var sign = req["sign"] is true;
        var json = req["json"] is true;
        var errorOnStatus = req["error_on_status"] is true;
        var headers = new List<KeyValuePair<string, byte[]>>();
        if (req["headers"] is LuaTableValue h)
        {
            foreach (var (k, v) in h.Entries)
            {
                if (k is not string name || v is not byte[] value)
                {
                    throw LuaModuleError.Create("DESERIALIZING", true, ("rust_error", "invalid header value"));
                }

                headers.Add(new(name, value));
            }
        }

        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw LuaModuleError.Create("SENDING_REQUEST", true, ("rust_error", "builder error: invalid or unsupported URL " + urlText));
        }

        if (sign)
        {
            headers = await _signer.SignAsync(method, url, headers, body, call.Execution).ConfigureAwait(false);
        }

        var started = Environment.TickCount64;
        Interlocked.Increment(ref _requests);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(call.Execution.CancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            return await SendAsync(method, url, headers, body, json, errorOnStatus, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !call.Execution.CancellationToken.IsCancellationRequested)
        {
            throw LuaModuleError.Create("SENDING_REQUEST", true, ("rust_error", $"request timed out after {_options.RequestTimeout.TotalMilliseconds} ms"));
        }
        finally
        {
            Interlocked.Add(ref _elapsedTicks, (Environment.TickCount64 - started) * TimeSpan.TicksPerMillisecond);
        }
    }

    private async Task<LuaTableValue> SendAsync(
        string method, Uri url, List<KeyValuePair<string, byte[]>> headers, byte[]? body, bool json, bool errorOnStatus, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            // The first URL and every redirect target pass the policy (better than the reference, docs/decisions.md).
            if (_policy?.Check(url) is { } refused)
            {
                throw refused;
            }

            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
            }

            foreach (var (name, value) in headers)
            {
                var text = Encoding.Latin1.GetString(value);
                if (!request.Headers.TryAddWithoutValidation(name, text) && (request.Content is null || !request.Content.Headers.TryAddWithoutValidation(name, text)))
                {
                    throw LuaModuleError.Create("DESERIALIZING", true, ("rust_error", "invalid header value"));
                }
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                if (UrlPolicyException.Find(e) is { } policyError)
                {
                    throw policyError;
                }

                throw LuaModuleError.Create("SENDING_REQUEST", true, ("rust_error", Describe(e)));
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location && hop < _options.MaxRedirects)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (status is 301 or 302 or 303 && method != "HEAD")
                    {
                        // As browsers and reqwest do: the redirected request becomes a GET without a body.
                        method = "GET";
                        body = null;
                        headers.RemoveAll(x => x.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase) || x.Key.Equals("content-length", StringComparison.OrdinalIgnoreCase));
                    }

                    if (!string.Equals(next.Host, url.Host, StringComparison.OrdinalIgnoreCase))
                    {
                        // Credentials do not follow a redirect to another host.
                        headers.RemoveAll(x => x.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase)
                            || x.Key.Equals("cookie", StringComparison.OrdinalIgnoreCase)
                            || x.Key.Equals("proxy-authorization", StringComparison.OrdinalIgnoreCase));
                    }

                    url = next;
                    continue;
                }

                var responseHeaders = new LuaTableValue();
                foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                {
                    // modules.md §4.5: lower-case names; a repeated header keeps only its last value.
                    responseHeaders.Add(name.ToLowerInvariant(), Encoding.Latin1.GetBytes(values.LastOrDefault() ?? ""));
                }

                byte[] bytes;
                try
                {
                    bytes = await BoundedContent.ReadAsync(response.Content, _options.MaxResponseBytes, "response body", cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException)
                {
                    throw LuaModuleError.Create("READING_BODY", true, ("url", url.ToString()), ("status", (long)status), ("rust_error", e.Message), ("headers", responseHeaders));
                }

                object bodyValue = bytes;
                if (json)
                {
                    try
                    {
                        bodyValue = LuaJson.Parse(bytes) ?? LuaNull.Instance;
                    }
                    catch (JsonException e)
                    {
                        throw LuaModuleError.Create("READING_BODY", true, ("url", url.ToString()), ("status", (long)status), ("rust_error", e.Message), ("headers", responseHeaders));
                    }
                }

                if (errorOnStatus && status != 200)
                {
                    throw LuaModuleError.Create("STATUS_NOT_OK", true, ("url", url.ToString()), ("status", (long)status), ("headers", responseHeaders), ("body", bodyValue));
                }

                return new LuaTableValue().Add("status", (long)status).Add("headers", responseHeaders).Add("body", bodyValue);
            }
        }
    }

    private static string Describe(Exception e)
    {
        var text = new StringBuilder(e.Message);
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(": ").Append(inner.Message);
        }

        return text.ToString();
    }
}
