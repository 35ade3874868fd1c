using Microsoft.Extensions.Logging;

namespace GenVm.Host.Configuration;

/// <summary>
/// A logger that creates the real one (and with it the process's logger factory) on the first record at or above
/// <paramref name="floor"/>: below it nothing could be written anyway, so a process that logs nothing at its level
/// never builds the logging pipeline (<c>genvm exec</c> at the default Warning level).
/// </summary>
/// <param name="floor">No provider writes below it (<see cref="LogFloor"/>).</param>
/// <param name="create">Creates the real logger; called at most once.</param>
internal sealed class DeferredLogger(LogLevel floor, Func<ILogger> create) : ILogger
{
    private readonly Lazy<ILogger> _inner = new(create);

    /// <summary>Whether the real logger exists (tests).</summary>
    internal bool Created => _inner.IsValueCreated;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= floor && _inner.Value.IsEnabled(logLevel);

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel != LogLevel.None && logLevel >= floor)
        {
            _inner.Value.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => floor == LogLevel.None ? null : _inner.Value.BeginScope(state);
}
