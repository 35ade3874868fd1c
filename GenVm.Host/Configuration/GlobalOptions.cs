using GenVm.Host.Verbs;
using Microsoft.Extensions.Logging;

namespace GenVm.Host.Configuration;

/// <summary>
/// The global options before the verb (config.md §3, host-protocol.md §1.1):
/// <c>genvm [--config &lt;path&gt;] [--log-fd &lt;fd&gt;] [--log-level &lt;level&gt;] &lt;verb&gt; …</c>.
/// </summary>
internal sealed class GlobalOptions
{
    /// <summary><c>--config</c>; null means the default path (loaded only when it exists).</summary>
    public string? ConfigPath { get; private set; }

    /// <summary><c>--log-fd</c>: 1 stdout, 2 stderr (default), other = an inherited descriptor.</summary>
    public int LogFd { get; private set; } = 2;

    /// <summary><c>--log-level</c>; null keeps the configured level.</summary>
    public LogLevel? LogLevel { get; private set; }

    /// <summary>The verb and its arguments.</summary>
    public IReadOnlyList<string> Rest { get; private set; } = [];

    /// <summary>Parses the leading global options; false with a one-line <paramref name="error"/>.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out GlobalOptions options, out string error)
    {
        options = new GlobalOptions();
        error = string.Empty;
        var i = 0;
        for (; i < args.Count && args[i].StartsWith("--", StringComparison.Ordinal) && args[i] is not "--help"; i++)
        {
            var (arg, inline) = OptionToken.Split(args[i]);

            if (inline is null && i + 1 >= args.Count)
            {
                error = $"option `{arg}` needs a value";
                return false;
            }

            var value = inline ?? args[++i];
            switch (arg)
            {
                case "--config":
                    options.ConfigPath = value;
                    break;
                case "--log-fd":
                    if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fd))
                    {
                        error = $"--log-fd takes a file descriptor number, not `{value}`";
                        return false;
                    }

                    options.LogFd = fd;
                    break;
                case "--log-level":
                    // config.md §2: trace, debug, info, warn/warning, error (case-insensitive); off is rejected.
                    options.LogLevel = value.ToLowerInvariant() switch
                    {
                        "trace" => Microsoft.Extensions.Logging.LogLevel.Trace,
                        "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
                        "info" => Microsoft.Extensions.Logging.LogLevel.Information,
                        "warn" or "warning" => Microsoft.Extensions.Logging.LogLevel.Warning,
                        "error" => Microsoft.Extensions.Logging.LogLevel.Error,
                        _ => null,
                    };
                    if (options.LogLevel is null)
                    {
                        error = $"Unknown log level: {value}";
                        return false;
                    }

                    break;
                default:
                    error = $"unknown global option `{arg}` (global options come before the verb)";
                    return false;
            }
        }

        options.Rest = args.Skip(i).ToList();
        return true;
    }
}
