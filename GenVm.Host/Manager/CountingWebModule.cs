using GenVm.Core.Calldata;
using GenVm.Core.Modules;

namespace GenVm.Host.Manager;

/// <summary>The manager's web module as an in-process execution sees it: every render and request is counted for <c>/metrics</c>.</summary>
internal sealed class CountingWebModule(IWebModule inner, ManagerMetrics metrics) : IWebModule
{
    /// <inheritdoc/>
    public Task<ModuleAnswer<WebRenderAnswer>> RenderAsync(WebRenderRequest request, CancellationToken cancellationToken)
        => CountAsync(inner.RenderAsync(request, cancellationToken));

    /// <inheritdoc/>
    public Task<ModuleAnswer<WebHttpResponse>> RequestAsync(WebHttpRequest request, CancellationToken cancellationToken)
        => CountAsync(inner.RequestAsync(request, cancellationToken));

    /// <inheritdoc/>
    public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);

    private async Task<ModuleAnswer<T>> CountAsync<T>(Task<ModuleAnswer<T>> call)
        where T : class
    {
        try
        {
            var answer = await call.ConfigureAwait(false);
            metrics.ModuleCall(ModuleKind.Web, failed: !answer.IsOk);
            return answer;
        }
        catch
        {
            metrics.ModuleCall(ModuleKind.Web, failed: true);
            throw;
        }
    }
}
