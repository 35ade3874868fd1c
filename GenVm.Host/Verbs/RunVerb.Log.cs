using Microsoft.Extensions.Logging;

namespace GenVm.Host.Verbs;

/// <summary>Log records of <see cref="RunVerb"/> (event ids 8300-8349); content is not a compatibility contract (config.md §5.1).</summary>
internal sealed partial class RunVerb
{
    private static partial class Log
    {
        [LoggerMessage(8300, LogLevel.Information, "transaction started (cookie {Cookie}, sync {Sync})")]
        public static partial void Started(ILogger logger, string cookie, bool sync);

        [LoggerMessage(8301, LogLevel.Information, "transaction finished with {Kind} in {ElapsedMs} ms")]
        public static partial void Finished(ILogger logger, string kind, long elapsedMs);

        [LoggerMessage(8302, LogLevel.Warning, "vm error: {Message}")]
        public static partial void VmError(ILogger logger, string message);

        [LoggerMessage(8303, LogLevel.Error, "execution failed: {Failure}")]
        public static partial void HostFailed(ILogger logger, string? failure);
    }
}
