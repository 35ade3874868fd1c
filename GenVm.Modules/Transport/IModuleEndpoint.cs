using GenVm.Core.Calldata;
using GenVm.Core.Modules;

namespace GenVm.Modules.Transport;

/// <summary>The module side of one connection's requests (modules.md §2.3): one request in, one envelope out.</summary>
internal interface IModuleEndpoint
{
    /// <summary>Handles one request of an execution and returns its <c>Ok</c>/<c>UserError</c>/<c>FatalError</c> envelope.</summary>
    Task<CalldataValue> HandleAsync(ModuleHello hello, CalldataValue request, CancellationToken cancellationToken);
}
