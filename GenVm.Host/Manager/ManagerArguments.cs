using System.Globalization;
using GenVm.Host.Verbs;

namespace GenVm.Host.Manager;

/// <summary>
/// The flags of <c>genvm manager</c> (manager.md §2): <c>--port</c>, <c>--host</c>, <c>--reroute-to</c>,
/// <c>--die-with-parent</c>, <c>--config</c>, <c>--manifest-path</c>; <c>--flag value</c> or <c>--flag=value</c>.
/// </summary>
internal static class ManagerArguments
{
    /// <summary>The usage line.</summary>
    public const string Usage =
        "usage: genvm manager [--host 127.0.0.1] [--port 3999] [--reroute-to <dir>] [--die-with-parent] [--config <path>] [--manifest-path <path>]";

    /// <summary>What the command line set; null members were not given.</summary>
    internal sealed record Parsed(string? Host, int? Port, string? RerouteTo, bool DieWithParent, string? ConfigPath, string? ManifestPath);

    /// <summary>Parses <paramref name="args"/>; false with a one-line <paramref name="error"/> on bad usage.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out Parsed parsed, out string error)
    {
        string? host = null, reroute = null, config = null, manifest = null;
        int? port = null;
        var die = false;
        parsed = new Parsed(null, null, null, false, null, null);
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            var (arg, inline) = OptionToken.Split(args[i]);

            string? Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                return i + 1 < args.Count ? args[++i] : null;
            }

            string? value;
            switch (arg)
            {
                case "--host":
                    host = value = Value();
                    break;
                case "--port":
                    value = Value();
                    if (value is not null)
                    {
                        if (!ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                        {
                            error = $"invalid value `{value}` for `--port`: expected a number from 0 to 65535";
                            return false;
                        }

                        port = p;
                    }

                    break;
                case "--reroute-to":
                    reroute = value = Value();
                    break;
                case "--config":
                    config = value = Value();
                    break;
                case "--manifest-path":
                    manifest = value = Value();
                    break;
                case "--die-with-parent" when inline is null:
                    die = true;
                    value = "";
                    break;
                default:
                    error = $"unknown option `{args[i]}`";
                    return false;
            }

            if (value is null)
            {
                error = $"option `{arg}` needs a value";
                return false;
            }
        }

        parsed = new Parsed(host, port, reroute, die, config, manifest);
        return true;
    }
}
