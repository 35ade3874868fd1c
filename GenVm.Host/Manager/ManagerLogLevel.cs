using Microsoft.Extensions.Logging;

namespace GenVm.Host.Manager;

/// <summary>The manager's runtime log level (<c>POST /log/level</c>), applied as a logging filter to every category.</summary>
internal sealed class ManagerLogLevel
{
    private volatile int _level;

    /// <summary>Starts at <paramref name="initial"/>.</summary>
    public ManagerLogLevel(LogLevel initial) => _level = (int)initial;

    /// <summary>The current minimum level.</summary>
    public LogLevel Level
    {
        get => (LogLevel)_level;
        set => _level = (int)value;
    }

    /// <summary>
    /// Parses a level name case-insensitively: <c>trace</c>, <c>debug</c>, <c>info</c>, <c>warn</c>, <c>warning</c>,
    /// <c>error</c> (config.md §2; <c>off</c> is rejected).
    /// </summary>
    public static bool TryParseName(string? text, out LogLevel level)
    {
        (var ok, level) = text?.ToLowerInvariant() switch
        {
            "trace" => (true, LogLevel.Trace),
            "debug" => (true, LogLevel.Debug),
            "info" => (true, LogLevel.Information),
            "warn" or "warning" => (true, LogLevel.Warning),
            "error" => (true, LogLevel.Error),
            _ => (false, LogLevel.None),
        };
        return ok;
    }

    /// <summary>The echo of <c>POST /log/level</c>: <c>Trace</c>, <c>Debug</c>, <c>Info</c>, <c>Warn</c>, <c>Error</c>.</summary>
    public static string Echo(LogLevel level) => level switch
    {
        LogLevel.Trace => "Trace",
        LogLevel.Debug => "Debug",
        LogLevel.Information => "Info",
        LogLevel.Warning => "Warn",
        _ => "Error",
    };

    /// <summary>The filter: true when <paramref name="level"/> is logged.</summary>
    public bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= Level;
}
