using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GenVm.Host.Configuration;

/// <summary>
/// The process's logger factory with <c>log_disable</c> applied (config.md §5.2): a disabled category gets a logger that
/// writes nothing to any provider; every other category is the inner factory's. A wrapper rather than filter rules:
/// <c>LoggerFilterOptions</c> picks one rule per provider and category, so a provider's own rule (the <c>--log-fd</c>
/// level, the manager's run-time level) would override a category rule, and its category prefixes cannot say "x and
/// below x, but not xy".
/// </summary>
internal sealed class LogDisableLoggerFactory(ILoggerFactory inner, LogDisable disable) : ILoggerFactory
{
    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => disable.Disables(categoryName) ? NullLogger.Instance : inner.CreateLogger(categoryName);

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <inheritdoc/>
    public void Dispose() => inner.Dispose();
}
