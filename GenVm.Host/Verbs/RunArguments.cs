using GenVm.Core.Protocol;

namespace GenVm.Host.Verbs;

/// <summary>The options of <c>genvm run</c> (host-protocol.md §1.1), parsed strictly.</summary>
internal sealed class RunArguments
{
    /// <summary><c>--host</c>: <c>unix://path</c> or <c>host:port</c>.</summary>
    public string Host { get; private set; } = string.Empty;

    /// <summary><c>--message</c>: the message JSON.</summary>
    public string Message { get; private set; } = string.Empty;

    /// <summary><c>--host-data</c>: JSON forwarded to modules; null when absent.</summary>
    public string? HostData { get; private set; }

    /// <summary><c>--cookie</c>: id forwarded to modules; null when absent (a random one is made).</summary>
    public string? Cookie { get; private set; }

    /// <summary><c>--print result</c>.</summary>
    public bool PrintResult { get; private set; }

    /// <summary><c>--print fingerprint</c>.</summary>
    public bool PrintFingerprint { get; private set; }

    /// <summary><c>--print stderr-full</c>.</summary>
    public bool PrintStderrFull { get; private set; }

    /// <summary><c>--sync</c>.</summary>
    public bool Sync { get; private set; }

    /// <summary><c>--debug-mode</c>.</summary>
    public bool DebugMode { get; private set; }

    /// <summary><c>--permissions</c> (default <c>rwscn</c>).</summary>
    public string Permissions { get; private set; } = Permission.Default;

    /// <summary>Parses <paramref name="args"/>; false with a one-line <paramref name="error"/> on bad usage.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out RunArguments parsed, out string error)
    {
        parsed = new RunArguments();
        error = string.Empty;
        for (var i = 0; i < args.Count; i++)
        {
            var (arg, inline) = OptionToken.Split(args[i]);

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"option `{arg}` needs a value");
                }

                return args[++i];
            }

            try
            {
                switch (arg)
                {
                    case "--host":
                        parsed.Host = Value();
                        break;
                    case "--message":
                        parsed.Message = Value();
                        break;
                    case "--host-data":
                        parsed.HostData = Value();
                        break;
                    case "--cookie":
                        parsed.Cookie = Value();
                        break;
                    case "--print":
                        switch (Value())
                        {
                            case "result":
                                parsed.PrintResult = true;
                                break;
                            case "fingerprint":
                                parsed.PrintFingerprint = true;
                                break;
                            case "stderr-full":
                                parsed.PrintStderrFull = true;
                                break;
                            case "none":
                                break;
                            case var other:
                                throw new ArgumentException($"--print takes result, fingerprint, stderr-full or none, not `{other}`");
                        }

                        break;
                    case "--sync" when inline is null:
                        parsed.Sync = true;
                        break;
                    case "--debug-mode" when inline is null:
                        parsed.DebugMode = true;
                        break;
                    case "--permissions":
                        var permissions = Value();
                        parsed.Permissions = PermissionsOption.Problem(permissions) is { } problem ? throw new ArgumentException(problem) : permissions;
                        break;
                    default:
                        throw new ArgumentException($"unknown option `{args[i]}`");
                }
            }
            catch (ArgumentException e)
            {
                error = e.Message;
                return false;
            }
        }

        if (parsed.Host.Length == 0 || parsed.Message.Length == 0)
        {
            error = "--host and --message are required";
            return false;
        }

        return true;
    }
}
