using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GenVm.Tests.Host;

/// <summary>Keeps every record (category, level, event id, message) its loggers receive.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    /// <summary>The records, in the order they were written.</summary>
    public ConcurrentQueue<(string Category, LogLevel Level, int EventId, string Message)> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Records.Enqueue((category, logLevel, eventId.Id, formatter(state, exception)));
    }
}
