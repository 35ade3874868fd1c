using Microsoft.Extensions.Configuration;

namespace GenVm.Host.Manager;

/// <summary>Starts one kind of module from its configuration (modules.md §3.2 / §4.2).</summary>
internal interface IModuleFactory
{
    /// <summary>The module this factory starts.</summary>
    ModuleKind Kind { get; }

    /// <summary>Starts the module; <paramref name="stop"/> is its cancellation.</summary>
    /// <exception cref="Exception">Any failure to start (bad config, no backends, bind failure).</exception>
    Task<IModuleInstance> StartAsync(IConfiguration configuration, CancellationToken stop);
}
