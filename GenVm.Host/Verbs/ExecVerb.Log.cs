using Microsoft.Extensions.Logging;

namespace GenVm.Host.Verbs;

/// <summary>
/// Log records of <see cref="ExecVerb"/> (event ids 8350-8399); content is not a compatibility contract (config.md
/// §5.1). A VM error is Information here, not Warning as in <c>run</c>: exec prints it on stderr anyway, and the
/// default level (Warning) keeps exec's own output readable.
/// </summary>
internal sealed partial class ExecVerb
{
    private static partial class Log
    {
        [LoggerMessage(8350, LogLevel.Information, "transaction started (contract {Contract}, deploy {Deploy}, cookie {Cookie}, sync {Sync})")]
        public static partial void Started(ILogger logger, string contract, bool deploy, string cookie, bool sync);

        [LoggerMessage(8351, LogLevel.Information, "transaction finished with {Kind} in {ElapsedMs} ms")]
        public static partial void Finished(ILogger logger, string kind, long elapsedMs);

        [LoggerMessage(8352, LogLevel.Information, "vm error: {Message}")]
        public static partial void VmError(ILogger logger, string message);

        [LoggerMessage(8353, LogLevel.Error, "execution failed: {Failure}")]
        public static partial void ExecutionFailed(ILogger logger, string? failure);
    }
}
