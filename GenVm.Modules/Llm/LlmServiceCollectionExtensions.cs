using GenVm.Core.Modules;
using GenVm.Modules.Llm;
using GenVm.Modules.Scripting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI wiring of the in-process LLM module.</summary>
public static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// Registers the in-process <see cref="ILlmModule"/>, its options bound from <paramref name="configuration"/> (the
    /// top level of <c>genvm-module-llm.yaml</c> after <c>${…}</c> templating), validated at start.
    /// </summary>
    public static IServiceCollection AddLlmModule(this IServiceCollection services, IConfiguration configuration)
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
