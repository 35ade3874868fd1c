using GenVm.Core.Calldata;
using GenVm.Core.Modules;

namespace GenVm.Host.Manager;

/// <summary>The manager's web module as an in-process execution or a listener connection sees it: every render and request is counted for <c>/metrics</c>.</summary>
internal sealed class CountingWebModule(IWebModule inner, ManagerMetrics metrics) : IWebModule
{
    /// <inheritdoc/>
    public Task<ModuleAnswer<WebRenderAnswer>> RenderAsync(WebRenderRequest request, CancellationToken cancellationToken)
        => metrics.CountAsync(ModuleKind.Web, inner.RenderAsync(request, cancellationToken));

    /// <inheritdoc/>
    public Task<ModuleAnswer<WebHttpResponse>> RequestAsync(WebHttpRequest request, CancellationToken cancellationToken)
        => metrics.CountAsync(ModuleKind.Web, inner.RequestAsync(request, cancellationToken));

    /// <inheritdoc/>
    public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);
}
