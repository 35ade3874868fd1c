using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace GenVm.Host.Configuration;

/// <summary>
/// A lower bound of the levels any logger of the process can write, read from the configuration without building the
/// logger factory (its options binding and console provider are start-up time, docs/decisions.md "Host start-up").
/// <see cref="DeferredLogger"/> builds the real logger only for a record at or above it.
/// </summary>
/// <param name="Level">No record below this level is written by any provider.</param>
internal sealed record LogFloor(LogLevel Level)
{
    /// <summary>The floor of a process whose filters come only from <paramref name="logging"/> (the <c>Logging</c> section).</summary>
    /// <remarks>
    /// The lowest level among <c>LogLevel:*</c> and <c>&lt;provider&gt;:LogLevel:*</c>, and the fallback for categories no
    /// rule names (<c>LogLevel:Default</c>, else <c>AddLogging</c>'s Information). A value that is not a level name
    /// gives Trace: the factory then decides (and rejects it) as before.
    /// </remarks>
    public static LogLevel FromConfiguration(IConfiguration logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        var general = logging.GetSection("LogLevel");
        var floor = Parse(general["Default"] ?? nameof(LogLevel.Information));
        foreach (var section in logging.GetChildren())
        {
            var levels = string.Equals(section.Key, "LogLevel", StringComparison.OrdinalIgnoreCase) ? section : section.GetSection("LogLevel");
            foreach (var rule in levels.GetChildren())
            {
                if (rule.Value is { } value)
                {
                    var level = Parse(value);
                    floor = level < floor ? level : floor;
                }
            }
        }

        return floor;
    }

    /// <summary>
    /// The floor of the CLI's logging set-up: <paramref name="logging"/> plus, with <c>--log-fd</c> and no level
    /// configured, the descriptor's own <paramref name="fdLevel"/> (Program's filter of <c>FdLoggerProvider</c>).
    /// </summary>
    public static LogFloor ForExecutor(IConfiguration logging, LogLevel? fdLevel)
    {
        var floor = FromConfiguration(logging);
        return new LogFloor(fdLevel is { } fd && fd < floor ? fd : floor);
    }

    private static LogLevel Parse(string value)
        => Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) && Enum.IsDefined(level) ? level : LogLevel.Trace;
}
