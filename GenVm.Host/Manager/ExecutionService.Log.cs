using Microsoft.Extensions.Logging;

namespace GenVm.Host.Manager;

/// <summary>Log messages of <see cref="ExecutionService"/> (event ids 8000-8099).</summary>
internal sealed partial class ExecutionService
{
    private static partial class Log
    {
        [LoggerMessage(8000, LogLevel.Warning, "module is not running; the execution starts anyway")]
        public static partial void ModulesNotRunning(ILogger logger);

        [LoggerMessage(8001, LogLevel.Information, "execution {GenvmId} started on executor {Version}")]
        public static partial void Started(ILogger logger, ulong genvmId, string version);

        [LoggerMessage(8002, LogLevel.Information, "execution {GenvmId} finished with exit code {ExitCode}")]
        public static partial void Finished(ILogger logger, ulong genvmId, int exitCode);

        [LoggerMessage(8003, LogLevel.Error, "execution {GenvmId} failed")]
        public static partial void Failed(ILogger logger, ulong genvmId, Exception exception);

        [LoggerMessage(8004, LogLevel.Information, "stopping execution {GenvmId}")]
        public static partial void Stopping(ILogger logger, ulong genvmId);

        [LoggerMessage(8005, LogLevel.Warning, "execution {GenvmId} passed its deadline; killing it")]
        public static partial void DeadlinePassed(ILogger logger, ulong genvmId);

        [LoggerMessage(8006, LogLevel.Debug, "execution {GenvmId} collected")]
        public static partial void Collected(ILogger logger, ulong genvmId);

        [LoggerMessage(EventId = 8007, Message = "genvm log {GenvmId}: {Log}")]
        public static partial void ExecutorLog(ILogger logger, LogLevel level, ulong genvmId, string log);
    }
}
