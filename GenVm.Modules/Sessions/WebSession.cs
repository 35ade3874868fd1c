using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Modules.Scripting;
using GenVm.Modules.Web;

namespace GenVm.Modules.Sessions;

/// <summary>The in-process web module for one execution: every call runs with the execution's Hello (modules.md §2.3).</summary>
internal sealed class WebSession(WebModule module, ModuleHello hello) : IWebModule
{
    /// <inheritdoc/>
    public Task<ModuleAnswer<WebRenderAnswer>> RenderAsync(WebRenderRequest request, CancellationToken cancellationToken)
        => module.RenderAsync(request, new LuaExecution(hello.Cookie, hello.HostData, cancellationToken));

    /// <inheritdoc/>
    public Task<ModuleAnswer<WebHttpResponse>> RequestAsync(WebHttpRequest request, CancellationToken cancellationToken)
        => module.RequestAsync(request, new LuaExecution(hello.Cookie, hello.HostData, cancellationToken));

    /// <inheritdoc/>
    public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken) => module.GetStatsAsync(cancellationToken);
}
