using Microsoft.Extensions.Logging;

namespace GenVm.Host.Manager;

/// <summary>Log messages of <see cref="ModuleService"/> (event ids 8100-8199).</summary>
internal sealed partial class ModuleService
{
    private static partial class Log
    {
        [LoggerMessage(8100, LogLevel.Error, "module {Kind} failed to start")]
        public static partial void StartFailed(ILogger logger, ModuleKind kind, Exception exception);

        [LoggerMessage(8101, LogLevel.Information, "module {Kind} started")]
        public static partial void Started(ILogger logger, ModuleKind kind);

        [LoggerMessage(8102, LogLevel.Information, "module {Kind} stopped")]
        public static partial void Stopped(ILogger logger, ModuleKind kind);
    }
}
