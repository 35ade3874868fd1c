using GenVm.Core.Modules;
using GenVm.Modules.Scripting;
using GenVm.Modules.Transport;
using GenVm.Modules.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI wiring of the in-process web module.</summary>
public static class WebServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWebModule"/>: with a non-empty <c>address</c> key (<c>ws://host:port</c>) the WebSocket
    /// client of a module served elsewhere (<c>genvm module web</c>), otherwise the in-process module with its options bound from <paramref name="configuration"/>
    /// (the top level of <c>genvm-module-web.yaml</c> after <c>${…}</c> templating), validated at start.
    /// </summary>
    public static IServiceCollection AddWebModule(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrEmpty(configuration["address"]))
        {
            services.AddOptions<RemoteModuleOptions>(WebSocketWebModule.OptionsName).Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
            services.TryAddSingleton<IWebModule, WebSocketWebModule>();
            return services;
        }

        return services.AddInProcessWebModule(configuration);
    }

    /// <summary>Registers the in-process web module (see <see cref="AddWebModule"/>).</summary>
    public static IServiceCollection AddInProcessWebModule(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WebModuleOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScriptHttpOptions>(WebModule.OptionsName).Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ChromiumOptions>(WebModule.OptionsName).Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StaticRendererOptions>(WebModule.OptionsName).Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProxyRoutingOptions>(WebModule.OptionsName).Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebModule, WebModule>();
        return services;
    }
}
