using GenVm.Core.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GenVm.Host.Manager;

/// <summary>Starts the in-process LLM module (<c>AddLlmModule</c>) in a service provider of its own.</summary>
internal sealed class LlmModuleFactory(ILoggerFactory loggerFactory, ManagerMetrics? metrics = null) : IModuleFactory
{
    /// <inheritdoc/>
    public ModuleKind Kind => ModuleKind.Llm;

    /// <inheritdoc/>
    public async Task<IModuleInstance> StartAsync(IConfiguration configuration, CancellationToken stop)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddInProcessLlmModule(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            // Resolving binds and validates the options (a config without usable backends fails here).
            var module = provider.GetRequiredService<ILlmModule>();
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
    private GenVm.Modules.Transport.IModuleEndpoint Endpoint(ILlmModule module)
        => metrics is { } m
            ? GenVm.Modules.Transport.ModuleEndpoints.For(module, session => new CountingLlmModule(session, m))
            : GenVm.Modules.Transport.ModuleEndpoints.For(module);
}
