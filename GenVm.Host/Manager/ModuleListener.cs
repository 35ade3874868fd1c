using System.Net;
using GenVm.Modules.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace GenVm.Host.Manager;

/// <summary>Starts the WebSocket listener of a hosted module at its config's <c>bind_address</c> (modules.md §2).</summary>
internal static class ModuleListener
{
    /// <summary>The listener, or null when the config has no <c>bind_address</c> (in-process executions only).</summary>
    /// <exception cref="FormatException">A <c>bind_address</c> that is not <c>ip:port</c>.</exception>
    public static async Task<IAsyncDisposable?> StartAsync(IConfiguration configuration, IModuleEndpoint endpoint, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (configuration["bind_address"] is not { Length: > 0 } bind)
        {
            return null;
        }

        if (!IPEndPoint.TryParse(bind, out var address))
        {
            throw new FormatException($"bad bind_address `{bind}`: expected ip:port");
        }

        return await ModuleServer.StartAsync(address, endpoint, loggerFactory, cancellationToken).ConfigureAwait(false);
    }
}
