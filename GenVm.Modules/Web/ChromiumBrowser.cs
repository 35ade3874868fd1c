using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using GenVm.Core.Modules;
using GenVm.Modules.Scripting;

namespace GenVm.Modules.Web;

/// <summary>
/// One headless Chromium process driven over the DevTools protocol. Each render gets a fresh browser context (no
/// cookies or storage shared between renders, unlike the reference), a 960×540 page, and request interception that
/// applies the URL policy to every request the page makes, redirects included (modules.md §4.3, §4.4).
/// </summary>
internal sealed class ChromiumBrowser : IAsyncDisposable
{
    private const int Width = 960;
    private const int Height = 540;

    private readonly Process _process;
    private readonly string _profile;
    private readonly CdpConnection _cdp;
    private readonly ProxyRoutes _routes;
    private int _disposed;

    private ChromiumBrowser(Process process, string profile, CdpConnection cdp, ProxyRoutes routes)
    {
        _process = process;
        _profile = profile;
        _cdp = cdp;
        _routes = routes;
    }

    /// <summary>The browser's process id (tests check that none is left behind).</summary>
    public int ProcessId => _process.Id;

    /// <summary>False once the process exited or the DevTools connection closed.</summary>
    public bool IsAlive => !_process.HasExited && _cdp.IsOpen;

    /// <summary>The executable: configured, else <c>chromium</c> or <c>chromium-browser</c> on PATH; null when none.</summary>
    public static string? FindExecutable(string configured)
    {
        if (configured.Length > 0)
        {
            return configured == "none" ? null : configured;
        }

        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    /// <summary>Starts a browser and connects to it.</summary>
    /// <exception cref="CdpException">The browser did not start or did not open its DevTools endpoint in time.</exception>
    public static async Task<ChromiumBrowser> LaunchAsync(string executable, ProxyRoutes routes, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("genvm-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "--user-data-dir=" + profile,
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-default-apps", "--disable-component-update", "--mute-audio",
            "--hide-scrollbars", "--disable-dev-shm-usage", "--password-store=basic", "--use-mock-keychain",
            $"--window-size={Width},{Height}",
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (Environment.UserName == "root")
        {
            // Chromium refuses to run its sandbox as root (containers, CI).
            start.ArgumentList.Add("--no-sandbox");
        }

        if (!routes.IsEmpty)
        {
            // Per-host routes as a PAC script: every request of every context (subresources and redirects included)
            // is routed by its own host. No credentials on the command line: they answer Fetch.authRequired.
            start.ArgumentList.Add("--proxy-pac-url=data:application/x-ns-proxy-autoconfig;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(routes.PacScript())));
        }

        start.ArgumentList.Add("about:blank");
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            const string Marker = "DevTools listening on ";
            if (e.Data is { } line && line.StartsWith(Marker, StringComparison.Ordinal) && Uri.TryCreate(line[Marker.Length..].Trim(), UriKind.Absolute, out var uri))
            {
                endpoint.TrySetResult(uri);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => endpoint.TrySetException(new CdpException("the browser exited during start-up"));
        try
        {
            if (!process.Start())
            {
                throw new CdpException("the browser did not start");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            Directory.Delete(profile, true);
            throw new CdpException($"cannot start {executable}: {e.Message}", e);
        }

        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var uri = await endpoint.Task.WaitAsync(startTimeout, cancellationToken).ConfigureAwait(false);
            var cdp = await CdpConnection.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            return new ChromiumBrowser(process, profile, cdp, routes);
        }
        catch (Exception e)
        {
            Kill(process);
            process.Dispose();
            TryDelete(profile);
            throw e is CdpException or OperationCanceledException ? e : new CdpException("browser start-up failed: " + e.Message, e);
        }
    }

    /// <summary>
    /// Renders <paramref name="url"/>. Navigation failures give a status and a short message (§4.4 step 2); a request
    /// refused by <paramref name="policy"/> throws its module error.
    /// </summary>
    /// <exception cref="LuaModuleError">The URL policy refused the page or a redirect target.</exception>
    /// <exception cref="CdpException">The browser failed.</exception>
    public async Task<RenderResult> RenderAsync(
        string url, RenderMode mode, TimeSpan waitAfterLoaded, TimeSpan loadTimeout, UrlPolicy? policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var context = (await _cdp.SendAsync("Target.createBrowserContext", new JsonObject { ["disposeOnDetach"] = true }, null, cancellationToken).ConfigureAwait(false))
            .GetProperty("browserContextId").GetString()!;
        var events = Channel.CreateUnbounded<(string Method, JsonElement Params)>(new UnboundedChannelOptions { SingleReader = true });
        string? session = null;
        using var pumpStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? pump = null;
        try
        {
            var target = (await _cdp.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank", ["browserContextId"] = context }, null, cancellationToken).ConfigureAwait(false))
                .GetProperty("targetId").GetString()!;
            session = (await _cdp.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target, ["flatten"] = true }, null, cancellationToken).ConfigureAwait(false))
                .GetProperty("sessionId").GetString()!;
            _cdp.Listen(session, (method, p) => events.Writer.TryWrite((method, p)));

            var page = new PageState();
            pump = PumpAsync(events.Reader, session, policy, page, pumpStop.Token);
            await Send("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = Width, ["height"] = Height, ["deviceScaleFactor"] = 1, ["mobile"] = false }).ConfigureAwait(false);
            await Send("Fetch.enable", new JsonObject { ["patterns"] = new JsonArray(new JsonObject { ["urlPattern"] = "*" }), ["handleAuthRequests"] = !_routes.IsEmpty }).ConfigureAwait(false);
            await Send("Network.enable", null).ConfigureAwait(false);
            await Send("Page.enable", null).ConfigureAwait(false);

            using var loadTimeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            loadTimeoutSource.CancelAfter(loadTimeout);
            JsonElement navigation;
            try
            {
                navigation = await _cdp.SendAsync("Page.navigate", new JsonObject { ["url"] = url }, session, loadTimeoutSource.Token).ConfigureAwait(false);
                page.LoaderId = navigation.TryGetProperty("loaderId", out var loader) ? loader.GetString() : null;
                if (page.PolicyError is { } refusedEarly)
                {
                    throw refusedEarly;
                }

                if (navigation.TryGetProperty("errorText", out var errorText) && errorText.GetString() is { Length: > 0 } error)
                {
                    return NavigationFailure(error);
                }

                await page.DomContentLoaded.Task.WaitAsync(loadTimeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new RenderResult(408, "Navigation timeout"u8.ToArray());
            }

            if (page.PolicyError is { } refused)
            {
                throw refused;
            }

            var status = page.Status(navigation);
            if (status is null)
            {
                return new RenderResult(418, "No response"u8.ToArray());
            }

            if (status is >= 200 and < 300 or 304 && waitAfterLoaded > TimeSpan.Zero)
            {
                await Task.Delay(waitAfterLoaded, time, cancellationToken).ConfigureAwait(false);
            }

            return new RenderResult(status.Value, await ContentAsync(mode).ConfigureAwait(false));
        }
        finally
        {
            if (session is not null)
            {
                _cdp.Forget(session);
            }

            events.Writer.TryComplete();
            await pumpStop.CancelAsync().ConfigureAwait(false);
            if (pump is not null)
            {
                await pump.ConfigureAwait(false);
            }

            try
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _cdp.SendAsync("Target.disposeBrowserContext", new JsonObject { ["browserContextId"] = context }, null, closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CdpException or OperationCanceledException)
            {
                // A browser that cannot close a context is retired by the pool (IsAlive) or killed on dispose.
            }
        }

        Task<JsonElement> Send(string method, JsonObject? parameters) => _cdp.SendAsync(method, parameters, session, cancellationToken);

        async Task<byte[]> ContentAsync(RenderMode renderMode)
        {
            if (renderMode == RenderMode.Screenshot)
            {
                var shot = await Send("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = false }).ConfigureAwait(false);
                return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
            }

            var expression = renderMode == RenderMode.Html
                ? "document.body ? document.body.innerHTML : ''"
                : "document.body ? document.body.innerText : ''";
            var evaluated = await Send("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }).ConfigureAwait(false);
            var text = evaluated.GetProperty("result").TryGetProperty("value", out var v) ? v.GetString() ?? "" : "";
            return Encoding.UTF8.GetBytes(renderMode == RenderMode.Html ? text : RenderText.Normalize(text));
        }
    }

    private async Task PumpAsync(ChannelReader<(string Method, JsonElement Params)> events, string session, UrlPolicy? policy, PageState page, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (method, p) in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (method)
                {
                    case "Fetch.requestPaused":
                        await DecideAsync(p, session, policy, page, cancellationToken).ConfigureAwait(false);
                        break;
                    case "Fetch.authRequired":
                        await AuthenticateAsync(p, session, page, cancellationToken).ConfigureAwait(false);
                        break;
                    case "Network.responseReceived" when p.GetProperty("type").GetString() == "Document":
                        page.Responses.Enqueue((p.GetProperty("loaderId").GetString(), p.GetProperty("response").GetProperty("status").GetInt32()));
                        break;
                    case "Page.domContentEventFired":
                        page.DomContentLoaded.TrySetResult();
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or CdpException or ChannelClosedException)
        {
        }
    }

    private async Task DecideAsync(JsonElement paused, string session, UrlPolicy? policy, PageState page, CancellationToken cancellationToken)
    {
        var requestId = paused.GetProperty("requestId").GetString()!;
        var url = paused.GetProperty("request").GetProperty("url").GetString() ?? "";
        LuaModuleError? refusal = null;
        if (policy is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed))
            {
                refusal = LuaModuleError.Create("MALFORMED_URL", false, ("url", url));
            }
            else if (parsed.Scheme is "data" or "blob" or "about")
            {
                // Content the page already holds: no network access.
            }
            else if (policy.Check(parsed) is { } error)
            {
                refusal = error;
            }
            else if (!policy.IsAlwaysAllowed(UrlPolicy.HostOf(parsed)))
            {
                try
                {
                    refusal = (await policy.ResolveAsync(UrlPolicy.HostOf(parsed), url, cancellationToken).ConfigureAwait(false)).Error;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    // Unresolvable: let the browser fail it as a DNS error (502, §4.4).
                }
            }
        }

        if (refusal is null)
        {
            await _cdp.SendAsync("Fetch.continueRequest", new JsonObject { ["requestId"] = requestId }, session, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (paused.TryGetProperty("resourceType", out var type) && type.GetString() == "Document")
        {
            page.PolicyError ??= refusal;
            page.DomContentLoaded.TrySetResult();
        }

        await _cdp.SendAsync("Fetch.failRequest", new JsonObject { ["requestId"] = requestId, ["errorReason"] = "BlockedByClient" }, session, cancellationToken).ConfigureAwait(false);
    }

    private async Task AuthenticateAsync(JsonElement paused, string session, PageState page, CancellationToken cancellationToken)
    {
        // Only proxies of our routes get credentials, once per request (wrong ones then fail instead of looping);
        // a site's own challenge keeps the browser's default (no credentials: its 401 page renders).
        var requestId = paused.GetProperty("requestId").GetString()!;
        var challenge = paused.GetProperty("authChallenge");
        var response = new JsonObject { ["response"] = "Default" };
        if (challenge.TryGetProperty("source", out var source) && source.GetString() == "Proxy"
            && Uri.TryCreate(challenge.GetProperty("origin").GetString(), UriKind.Absolute, out var origin))
        {
            if (_routes.CredentialFor(origin) is { } credential && page.Authenticated.Add(requestId))
            {
                response = new JsonObject { ["response"] = "ProvideCredentials", ["username"] = credential.UserName, ["password"] = credential.Password };
            }
            else
            {
                response = new JsonObject { ["response"] = "CancelAuth" };
            }
        }

        await _cdp.SendAsync("Fetch.continueWithAuth", new JsonObject { ["requestId"] = requestId, ["authChallengeResponse"] = response }, session, cancellationToken).ConfigureAwait(false);
    }

    private static RenderResult NavigationFailure(string error)
    {
        // modules.md §4.4 step 2: the render service's statuses for navigation failures.
        var (status, message) = error switch
        {
            _ when error.Contains("ERR_TIMED_OUT", StringComparison.Ordinal) => (408, "Navigation timeout"),
            _ when error.Contains("ERR_NAME_NOT_RESOLVED", StringComparison.Ordinal) => (502, "DNS resolution failed"),
            _ when error.Contains("ERR_CONNECTION_REFUSED", StringComparison.Ordinal) => (503, "Connection refused"),
            _ when error.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal) || error.Contains("ERR_ADDRESS_UNREACHABLE", StringComparison.Ordinal)
                => (503, "No internet connection"),
            _ when error.Contains("ERR_CERT", StringComparison.Ordinal) || error.Contains("ERR_SSL", StringComparison.Ordinal) => (495, "Certificate error"),
            _ => (418, "Navigation failed: " + error),
        };
        return new RenderResult(status, Encoding.UTF8.GetBytes(message));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _cdp.SendAsync("Browser.close", null, null, closing.Token).ConfigureAwait(false);
            await _process.WaitForExitAsync(closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CdpException or OperationCanceledException or InvalidOperationException)
        {
        }

        await _cdp.DisposeAsync().ConfigureAwait(false);
        Kill(_process);
        _process.Dispose();
        TryDelete(_profile);
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                // The whole tree: renderer, GPU and zygote helpers are children of the browser process.
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private sealed class PageState
    {
        public TaskCompletionSource DomContentLoaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<(string? LoaderId, int Status)> Responses { get; } = new();

        public string? LoaderId { get; set; }

        public LuaModuleError? PolicyError { get; set; }

        public HashSet<string> Authenticated { get; } = new(StringComparer.Ordinal);

        public int? Status(JsonElement navigation)
        {
            // The main document's final response (redirects produce no responseReceived of their own).
            var matching = Responses.Where(r => LoaderId is null || r.LoaderId == LoaderId).ToList();
            return matching.Count > 0 ? matching[^1].Status : null;
        }
    }
}
