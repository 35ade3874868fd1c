using GenVm.Core.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GenVm.Host.Manager;

/// <summary>Starts the in-process web module (<c>AddWebModule</c>) in a service provider of its own; disposing it closes its browsers.</summary>
internal sealed class WebModuleFactory(ILoggerFactory loggerFactory, ManagerMetrics? metrics = null) : IModuleFactory
{
    /// <inheritdoc/>
    public ModuleKind Kind => ModuleKind.Web;

    /// <inheritdoc/>
    public async Task<IModuleInstance> StartAsync(IConfiguration configuration, CancellationToken stop)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddInProcessWebModule(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            // Resolving binds and validates the options.
            var module = provider.GetRequiredService<IWebModule>();
            var server = await ModuleListener.StartAsync(configuration, Endpoint(module), loggerFactory, stop).ConfigureAwait(false);
            return new ServiceModuleInstance(module, provider, server);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Calls of executor processes over the listener count in /metrics like those of in-process executions.
    private GenVm.Modules.Transport.IModuleEndpoint Endpoint(IWebModule module)
        => metrics is { } m
            ? GenVm.Modules.Transport.ModuleEndpoints.For(module, session => new CountingWebModule(session, m))
            : GenVm.Modules.Transport.ModuleEndpoints.For(module);
}
