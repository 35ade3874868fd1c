using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Modules.Scripting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenVm.Modules.Web;

/// <summary>
/// The web module (modules.md §4): Lua states running the module script (our embedded default unless
/// <c>lua_script_path</c> is set), the scripts' HTTP with the URL policy on every hop, and the in-process render
/// service backed by a Chromium pool or the AngleSharp renderer (<see cref="RenderService"/>); outbound traffic of
/// both follows the per-host proxy routes (<see cref="ProxyRoutes"/>).
/// </summary>
internal sealed class WebModule : IWebModule, IAsyncDisposable
{
    /// <summary>Name of the <see cref="ScriptHttpOptions"/> / <see cref="ChromiumOptions"/> instances of the web module.</summary>
    public const string OptionsName = "web";

    private readonly WebModuleOptions _options;
    private readonly UrlPolicy _policy;
    private readonly SocketsHttpHandler _network;
    private readonly ProxyTargetCheck _outbound;
    private readonly RenderService _renderService;
    private readonly ChromiumPool? _browsers;
    private readonly AngleSharpRenderer _static;
    private readonly ScriptHttp _http;
    private readonly LuaStatePool _pool;
    private readonly TimeProvider _time;
    private long _renders;
    private long _requests;

    public WebModule(
        IOptions<WebModuleOptions> options,
        IOptionsMonitor<ScriptHttpOptions> httpOptions,
        IOptionsMonitor<ChromiumOptions> chromiumOptions,
        IOptionsMonitor<StaticRendererOptions> staticOptions,
        IOptionsMonitor<ProxyRoutingOptions> routingOptions,
        ILogger<WebModule> logger,
        TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var http = httpOptions.Get(OptionsName);
        var chromium = chromiumOptions.Get(OptionsName);
        var renderOrigin = new Uri(_options.WebdriverHost);
        _policy = new UrlPolicy(_options.ExtraTld, _options.AlwaysAllowHosts, renderOrigin);
        var routes = new ProxyRoutes(http.Proxy, routingOptions.Get(OptionsName).Routes);
        _network = ScriptHttp.CreateHandler(http, _policy.ConnectAsync);
        _network.UseProxy = !routes.IsEmpty;
        _network.Proxy = routes.IsEmpty ? null : routes;
        _outbound = new ProxyTargetCheck(routes, _policy, _network);
        var executable = ChromiumBrowser.FindExecutable(chromium.Browser);
        _browsers = executable is null ? null : new ChromiumPool(executable, chromium, routes);
        _static = new AngleSharpRenderer(new HttpMessageInvoker(_outbound, disposeHandler: false), _policy, staticOptions.Get(OptionsName));
        _renderService = new RenderService(renderOrigin, RenderAsync, _outbound);
        _http = new ScriptHttp(new HttpMessageInvoker(_renderService, disposeHandler: false), http, _policy, time);
        var bindings = new DefaultHostFunctions(logger, time, _http).AddTo(new LuaBindings())
            .Value("__dflt", "null", () => LuaNull.Instance)
            .Value("__web", "config", ConfigTable)
            .Value("__web", "allowed_tld", () => _policy.AllowedTlds.Aggregate(new LuaTableValue(), (t, tld) => t.Add(tld, true)))
            .Function("__web", "url_policy_error", PolicyError);
        _pool = new LuaStatePool(new LuaScriptSource(_options.LuaScriptPath, _options.LuaPath, "genvm-web-default.lua"), bindings, _options.VmCount);
    }

    /// <summary>The browser pool, or null when no browser is configured (then the AngleSharp renderer serves text and html).</summary>
    internal ChromiumPool? Browsers => _browsers;

    /// <summary>The URL policy (tests, the verb).</summary>
    internal UrlPolicy Policy => _policy;

    /// <inheritdoc/>
    public Task<ModuleAnswer<WebRenderAnswer>> RenderAsync(WebRenderRequest request, CancellationToken cancellationToken)
        => RenderAsync(request, LuaExecution.Anonymous(cancellationToken));

    /// <summary><see cref="RenderAsync(WebRenderRequest, CancellationToken)"/> for an execution with a Hello.</summary>
    internal async Task<ModuleAnswer<WebRenderAnswer>> RenderAsync(WebRenderRequest request, LuaExecution execution)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _renders);
        var payload = new LuaTableValue()
            .Add("mode", request.Mode switch { RenderMode.Html => "html", RenderMode.Screenshot => "screenshot", _ => "text" })
            .Add("url", request.Url)
            .Add("wait_after_loaded", request.WaitAfterLoaded.TotalSeconds);
        var result = await RunAsyncCore("Render", payload, execution).ConfigureAwait(false);
        if (!result.IsOk)
        {
            return ModuleAnswer<WebRenderAnswer>.Error(result.UserError!);
        }

        return result.Value switch
        {
            LuaTableValue t when t["image"] is byte[] image => ModuleAnswer<WebRenderAnswer>.Ok(WebRenderAnswer.FromImage(image)),
            LuaTableValue t when t["text"] is byte[] text => ModuleAnswer<WebRenderAnswer>.Ok(WebRenderAnswer.FromText(Encoding.UTF8.GetString(text))),
            _ => throw new ModuleFatalException("Render must return {text = str} or {image = bytes}"),
        };
    }

    /// <inheritdoc/>
    public Task<ModuleAnswer<WebHttpResponse>> RequestAsync(WebHttpRequest request, CancellationToken cancellationToken)
        => RequestAsync(request, LuaExecution.Anonymous(cancellationToken));

    /// <summary><see cref="RequestAsync(WebHttpRequest, CancellationToken)"/> for an execution with a Hello.</summary>
    internal async Task<ModuleAnswer<WebHttpResponse>> RequestAsync(WebHttpRequest request, LuaExecution execution)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _requests);
        var headers = new LuaTableValue();
        foreach (var (name, value) in request.Headers)
        {
            headers.Add(name, value.ToArray());
        }

        var payload = new LuaTableValue()
            .Add("method", request.Method)
            .Add("url", request.Url)
            .Add("headers", headers)
            .Add("body", request.Body is { } body ? body.ToArray() : LuaNull.Instance)
            .Add("sign", request.Sign);
        var result = await RunAsyncCore("Request", payload, execution).ConfigureAwait(false);
        if (!result.IsOk)
        {
            return ModuleAnswer<WebHttpResponse>.Error(result.UserError!);
        }

        if (result.Value is not LuaTableValue t || t["status"] is not long status)
        {
            throw new ModuleFatalException("Request must return {status, headers, body}");
        }

        var responseHeaders = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        if (t["headers"] is LuaTableValue h)
        {
            foreach (var (k, v) in h.Entries)
            {
                if (k is string name && v is byte[] value)
                {
                    responseHeaders[name] = value;
                }
            }
        }

        return ModuleAnswer<WebHttpResponse>.Ok(new WebHttpResponse((int)status, responseHeaders, t["body"] as byte[] ?? []));
    }

    /// <inheritdoc/>
    public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken)
    {
        var (requests, milliseconds) = _http.Stats;
        return Task.FromResult<CalldataValue>(CalldataValue.FromMap(
            ("http_milliseconds", milliseconds),
            ("http_requests", requests),
            ("renders", Interlocked.Read(ref _renders)),
            ("requests", Interlocked.Read(ref _requests))));
    }

    /// <summary>Creates a Lua state now, so a broken script fails at start-up.</summary>
    internal Task WarmUpAsync(CancellationToken cancellationToken) => _pool.WarmUpAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync().ConfigureAwait(false);
        if (_browsers is not null)
        {
            await _browsers.DisposeAsync().ConfigureAwait(false);
        }

        _renderService.Dispose();
        _outbound.Dispose();
        _network.Dispose();
    }

    private Task<RenderResult> RenderAsync(string url, RenderMode mode, TimeSpan wait, CancellationToken cancellationToken)
        => _browsers is null
            // Without a browser nothing runs after load, so waitAfterLoaded changes nothing and is not waited for.
            ? _static.RenderAsync(url, mode, cancellationToken)
            : _browsers.RenderAsync(url, mode, wait, _policy, _time, cancellationToken);

    private object? PolicyError(LuaHostCall call)
    {
        if (_policy.Check(call.StringArg(0)) is not { } error)
        {
            return null;
        }

        return new LuaTableValue()
            .Add("causes", LuaTableValue.FromList(error.Causes))
            .Add("fatal", error.Fatal)
            .Add("ctx", error.Context);
    }

    private LuaTableValue ConfigTable()
        => new LuaTableValue()
            .Add("webdriver_host", _options.WebdriverHost)
            .Add("extra_tld", LuaTableValue.FromList(_options.ExtraTld))
            .Add("always_allow_hosts", LuaTableValue.FromList(_options.AlwaysAllowHosts))
            .Add("lua_script_path", _options.LuaScriptPath)
            .Add("lua_path", _options.LuaPath)
            .Add("vm_count", (long)_options.VmCount)
            .Add("session_create_request", _options.SessionCreateRequest);

    private async Task<(bool IsOk, object? Value, CalldataValue? UserError)> RunAsyncCore(string entry, LuaTableValue payload, LuaExecution execution)
    {
        var ctx = new LuaTableValue()
            .Add("__ctx_dflt", new LuaTableValue())
            .Add("__ctx_web", new LuaTableValue())
            .Add("cookie", execution.Cookie)
            .Add("host_data", execution.HostData);
        try
        {
            return (true, await _pool.CallAsync(entry, [ctx, payload], execution).ConfigureAwait(false), null);
        }
        catch (LuaModuleError e) when (!e.Fatal)
        {
            return (false, null, Llm.LlmModule.UserErrorValue(e));
        }
        catch (Exception e) when (e is LuaModuleError or LuaScriptException)
        {
            throw new ModuleFatalException(e.Message, e);
        }
    }
}
