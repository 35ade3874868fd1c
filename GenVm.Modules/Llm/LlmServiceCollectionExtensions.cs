using GenVm.Core.Modules;
using GenVm.Modules.Llm;
using GenVm.Modules.Scripting;
using GenVm.Modules.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI wiring of the LLM module: in process, or a WebSocket client of an out-of-process module.</summary>
public static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ILlmModule"/>. With a non-empty <c>address</c> key (<c>ws://host:port</c>, see
    /// <see cref="RemoteModuleOptions"/>) it is the WebSocket client of a module served elsewhere (<c>genvm module
    /// llm</c>), so this process holds no provider keys; otherwise the in-process module, its options bound from
    /// <paramref name="configuration"/> (the top level of <c>genvm-module-llm.yaml</c> after <c>${…}</c> templating),
    /// validated at start.
    /// </summary>
    public static IServiceCollection AddLlmModule(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrEmpty(configuration["address"]))
        {
            services.AddOptions<RemoteModuleOptions>(WebSocketLlmModule.OptionsName).Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
            services.TryAddSingleton<ILlmModule, WebSocketLlmModule>();
            return services;
        }

        return services.AddInProcessLlmModule(configuration);
    }

    /// <summary>Registers the in-process LLM module (see <see cref="AddLlmModule"/>).</summary>
    public static IServiceCollection AddInProcessLlmModule(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LlmModuleOptions>()
            .Bind(configuration)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ScriptHttpOptions>(LlmModule.OptionsName)
            .Bind(configuration)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmModuleOptions>, LlmModuleOptionsValidator>());
        services.AddLogging();

        // The attempt policy bounds calls; the client's own timeout would turn into an unclassified cancellation.
        services.AddHttpClient(LlmModule.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILlmModule, LlmModule>();
        return services;
    }
}
