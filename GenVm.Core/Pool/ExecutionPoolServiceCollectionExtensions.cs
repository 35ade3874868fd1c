using GenVm.Core.Pool;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI wiring of the in-process <see cref="ExecutionPool"/>.</summary>
internal static class ExecutionPoolServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="ExecutionPool"/> for the process, its <see cref="ExecutionPoolOptions"/> bound from
    /// <paramref name="configuration"/> (the <c>ExecutionPool</c> section) and validated at start;
    /// <paramref name="configure"/> may adjust them (the CLI sets the compile cache directory). An
    /// <c>IVmInstanceFactory</c> registered in the container is used for every VM.
    /// </summary>
    public static IServiceCollection AddExecutionPool(this IServiceCollection services, IConfiguration? configuration = null, Action<ExecutionPoolOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ExecutionPoolOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new ExecutionPool(sp.GetRequiredService<IOptions<ExecutionPoolOptions>>(), sp.GetService<GenVm.Core.Supervisor.IVmInstanceFactory>()));
        return services;
    }
}
