using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace GenVm.Host.Configuration;

/// <summary>
/// JSON-lines logs to a file descriptor (<c>--log-fd</c>, host-protocol.md §1.1): one object per entry with
/// <c>level</c>, <c>target</c> (the category) and <c>message</c>. Log content is not part of the compatibility contract.
/// </summary>
internal sealed class FdLoggerProvider : ILoggerProvider
{
    private readonly object _gate = new();
    private readonly StreamWriter _writer;

    /// <summary>Writes to <paramref name="output"/>.</summary>
    public FdLoggerProvider(Stream output)
    {
        _writer = new StreamWriter(output, new System.Text.UTF8Encoding(false)) { AutoFlush = true };
    }

    /// <summary>Opens an inherited descriptor: 1 stdout, 2 stderr, other numbers as they are.</summary>
    public static FdLoggerProvider ForDescriptor(int fd) => new(fd switch
    {
        1 => Console.OpenStandardOutput(),
        2 => Console.OpenStandardError(),
        _ => new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false), FileAccess.Write),
    });

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new FdLogger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();

    /// <summary>One log line (without the newline): <c>{"level":…,"target":…,"message":…}</c>.</summary>
    internal static string FormatLine(LogLevel level, string category, string message)
        => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            // config.md §5.1: the level names of the reference's log lines.
            ["level"] = level switch
            {
                LogLevel.Trace => "trace",
                LogLevel.Debug => "debug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                _ => "error",
            },
            ["target"] = category,
            ["message"] = message,
        });

    private void Write(LogLevel level, string category, string message)
    {
        var line = FormatLine(level, category, message);
        lock (_gate)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (IOException)
            {
                // A closed log pipe must not fail the run.
            }
        }
    }

    private sealed class FdLogger(FdLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, formatter(state, exception) + (exception is null ? string.Empty : " " + exception.Message));
            }
        }
    }
}
