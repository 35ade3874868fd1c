using GenVm.Core.Calldata;

namespace GenVm.Modules.Transport;

/// <summary>The module side of one connection's requests (modules.md §2.3): one request in, one envelope out.</summary>
internal interface IModuleConnection
{
    /// <summary>Handles one request of the execution and returns its <c>Ok</c>/<c>UserError</c>/<c>FatalError</c> envelope.</summary>
    Task<CalldataValue> HandleAsync(CalldataValue request, CancellationToken cancellationToken);
}
