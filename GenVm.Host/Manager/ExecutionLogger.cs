using GenVm.Host.Configuration;
using Microsoft.Extensions.Logging;

namespace GenVm.Host.Manager;

/// <summary>
/// The log of one in-process execution: each record becomes the JSON line an executor process would write to its
/// <c>--log-fd</c> pipe (config.md §5.1, <see cref="FdLoggerProvider"/>) and goes to the same handler as a pipe line
/// (manager.md §4 <c>/genvm/run</c> step 6: kept in <c>genvm_log</c>, or re-logged with the <c>genvm_id</c>).
/// </summary>
internal sealed class ExecutionLogger : ILogger
{
    private readonly string _category;
    private readonly LogLevel _minimum;
    private readonly Action<string> _line;

    /// <summary>Sends records at or above <paramref name="minimum"/> to <paramref name="line"/> as JSON lines.</summary>
    public ExecutionLogger(string category, LogLevel minimum, Action<string> line)
    {
        _category = category;
        _minimum = minimum;
        _line = line;
    }

    /// <summary>
    /// The executor's level when its config names none (config.md §2: <c>info</c> in release builds); the manager's
    /// runtime level does not apply to executors (config.md §5.2).
    /// </summary>
    public static LogLevel DefaultMinimum => LogLevel.Information;

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _minimum;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            _line(FdLoggerProvider.FormatLine(logLevel, _category, formatter(state, exception) + (exception is null ? string.Empty : " " + exception.Message)));
        }
    }
}
