using System.Net.Sockets;
using GenVm.Modules.Scripting;

namespace GenVm.Modules.Web;

/// <summary>
/// The connect-time address check (<see cref="UrlPolicy.ConnectAsync"/>) for requests that go through a proxy: the
/// connection is then to the proxy, so the target name is resolved here and refused with <c>ADDRESS_FORBIDDEN</c> when
/// it points at a loopback, private or link-local address. A name the module host cannot resolve is left to the proxy
/// (split DNS), as the browser path does.
/// </summary>
internal sealed class ProxyTargetCheck : DelegatingHandler
{
    private readonly ProxyRoutes _routes;
    private readonly UrlPolicy _policy;

    public ProxyTargetCheck(ProxyRoutes routes, UrlPolicy policy, HttpMessageHandler inner)
        : base(inner)
    {
        _routes = routes;
        _policy = policy;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var host = UrlPolicy.HostOf(uri);
        if (_routes.GetProxy(uri) is not null && !_policy.IsAlwaysAllowed(host))
        {
            LuaModuleError? error = null;
            try
            {
                error = (await _policy.ResolveAsync(host, uri.ToString(), cancellationToken).ConfigureAwait(false)).Error;
            }
            catch (SocketException)
            {
            }

            if (error is not null)
            {
                // Wrapped like a refused connection, so callers find the module error in the exception chain.
                throw new HttpRequestException(error.Message, new UrlPolicyException(error));
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
