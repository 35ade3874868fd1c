using Microsoft.Extensions.Logging;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Log records of a transaction's VMs and module sessions (event ids 6000-6049), written to the run's log
/// (<see cref="TransactionOptions.Log"/>); content is not a compatibility contract (config.md §5.1).
/// </summary>
internal static partial class SupervisorLog
{
    [LoggerMessage(6000, LogLevel.Information, "sub-vm {Kind} ended with {Result}")]
    public static partial void SubVmEnded(ILogger logger, string kind, string result);

    [LoggerMessage(6001, LogLevel.Information, "{Module} module stats: {Stats}")]
    public static partial void ModuleStats(ILogger logger, string module, string stats);

    [LoggerMessage(6002, LogLevel.Warning, "{Module} module stats failed: {Error}")]
    public static partial void ModuleStatsFailed(ILogger logger, string module, string error);

    [LoggerMessage(6003, LogLevel.Warning, "contract not started, {VmError}: {Detail}")]
    public static partial void LoadFailed(ILogger logger, string vmError, string detail);
}
