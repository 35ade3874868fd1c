using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using Microsoft.Extensions.Options;

namespace GenVm.Modules.Transport;

/// <summary><see cref="IWebModule"/> over WebSocket (modules.md §2.6).</summary>
internal sealed class WebSocketWebModule : IWebModule, IAsyncDisposable
{
    /// <summary>Options name of the remote web module.</summary>
    public const string OptionsName = "web-remote";

    private readonly WebSocketModuleConnection _connection;

    public WebSocketWebModule(IOptionsMonitor<RemoteModuleOptions> options)
    {
        Options = options.Get(OptionsName);
        _connection = new WebSocketModuleConnection(Options);
    }

    /// <summary>A client whose connection opens with one execution's <paramref name="hello"/> (modules.md §2.3).</summary>
    public WebSocketWebModule(RemoteModuleOptions options, ModuleHello hello)
    {
        Options = options;
        _connection = new WebSocketModuleConnection(options, hello);
    }

    /// <summary>Address and timeouts of the remote module.</summary>
    public RemoteModuleOptions Options { get; }

    /// <inheritdoc/>
    public async Task<ModuleAnswer<WebRenderAnswer>> RenderAsync(WebRenderRequest request, CancellationToken cancellationToken)
    {
        var (ok, error) = await _connection.RequestAsync(CalldataValue.FromMap(("Render", request.ToCalldata())), cancellationToken).ConfigureAwait(false);
        if (ok is null)
        {
            return ModuleAnswer<WebRenderAnswer>.Error(error!);
        }

        var map = ok as CalldataMap;
        if (map?.TryGetValue("text", out var text) == true && text is CalldataString s)
        {
            return ModuleAnswer<WebRenderAnswer>.Ok(WebRenderAnswer.FromText(s.Value));
        }

        if (map?.TryGetValue("image", out var image) == true && image is CalldataBytes b)
        {
            return ModuleAnswer<WebRenderAnswer>.Ok(WebRenderAnswer.FromImage(b.Memory));
        }

        throw new ModuleFatalException("web module answered a malformed RenderAnswer");
    }

    /// <inheritdoc/>
    public async Task<ModuleAnswer<WebHttpResponse>> RequestAsync(WebHttpRequest request, CancellationToken cancellationToken)
    {
        var (ok, error) = await _connection.RequestAsync(CalldataValue.FromMap(("Request", request.ToCalldata())), cancellationToken).ConfigureAwait(false);
        if (ok is null)
        {
            return ModuleAnswer<WebHttpResponse>.Error(error!);
        }

        try
        {
            var response = ok.AsMap()["response"].AsMap();
            var headers = response["headers"].AsMap().ToDictionary(h => h.Key, h => h.Value.AsBytes(), StringComparer.Ordinal);
            return ModuleAnswer<WebHttpResponse>.Ok(new WebHttpResponse((int)response["status"].AsNumber(), headers, response["body"].AsBytes()));
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or OverflowException)
        {
            throw new ModuleFatalException("web module answered a malformed response", e);
        }
    }

    /// <inheritdoc/>
    public async Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken)
    {
        var (ok, error) = await _connection.RequestAsync(CalldataValue.FromString("GetStats"), cancellationToken).ConfigureAwait(false);
        return ok ?? error!;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
