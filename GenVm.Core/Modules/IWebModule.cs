using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>
/// The web module as the executor sees it (host-protocol.md §11, modules.md §2.3, §2.6): one session per run,
/// strictly one outstanding request at a time. Implementations: in-process, or WebSocket to
/// <c>modules.web.address</c> (connected lazily, opened with the Hello <c>{"cookie", "host_data"}</c>).
/// </summary>
public interface IWebModule
{
    /// <summary>Sends <c>{"Render": {"mode", "url", "wait_after_loaded"}}</c>.</summary>
    /// <param name="request">What to render.</param>
    /// <param name="cancellationToken">Run cancellation; a cancelled call ends as the VM error <c>timeout</c>.</param>
    /// <returns><c>Ok</c> with the text or image, or the module's user error.</returns>
    /// <exception cref="ModuleFatalException">The module answered <c>FatalError</c> or the transport failed.</exception>
    Task<ModuleAnswer<WebRenderAnswer>> RenderAsync(WebRenderRequest request, CancellationToken cancellationToken);

    /// <summary>Sends <c>{"Request": {"body", "headers", "method", "sign", "url"}}</c>.</summary>
    /// <param name="request">The HTTP request.</param>
    /// <param name="cancellationToken">Run cancellation.</param>
    /// <returns><c>Ok</c> with the response, or the module's user error.</returns>
    /// <exception cref="ModuleFatalException">The module answered <c>FatalError</c> or the transport failed.</exception>
    Task<ModuleAnswer<WebHttpResponse>> RequestAsync(WebHttpRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Sends <c>"GetStats"</c> at the end of a run that used the module (and was not cancelled); the reply's shape is
    /// unspecified and only logged.
    /// </summary>
    /// <exception cref="ModuleFatalException">The module answered <c>FatalError</c> or the transport failed.</exception>
    Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken);
}
