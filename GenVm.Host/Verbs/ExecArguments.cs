using System.Globalization;
using GenVm.Core.Calldata;
using GenVm.Core.Messages;
using GenVm.Core.Protocol;

namespace GenVm.Host.Verbs;

/// <summary>The options of <c>genvm exec</c>, parsed and checked; every failure is one readable sentence.</summary>
internal sealed class ExecArguments
{
    /// <summary>The default contract address, 0x01 then zeros (the reference test template's contract).</summary>
    public static readonly Address DefaultContract = Address.Parse("0100000000000000000000000000000000000000");

    /// <summary>The default sender and origin, 0x02 then zeros.</summary>
    public static readonly Address DefaultSender = Address.Parse("0200000000000000000000000000000000000000");

    /// <summary>
    /// The contract: a file (text, wasm or zip code) or a directory packed into a stored zip (runners.md §2);
    /// empty runs the code already stored at <see cref="Contract"/> in the state.
    /// </summary>
    public string ContractPath { get; private set; } = string.Empty;

    /// <summary>The entry calldata built from <c>--method</c>/<c>--args</c> or given by <c>--calldata</c>.</summary>
    public CalldataValue Calldata { get; private set; } = CalldataValue.FromMap(Enumerable.Empty<KeyValuePair<string, CalldataValue>>());

    /// <summary><c>--deploy</c>: the message is the deployment (<c>is_init</c>).</summary>
    public bool Deploy { get; private set; }

    /// <summary><c>--address</c>.</summary>
    public Address Contract { get; private set; } = DefaultContract;

    /// <summary><c>--sender</c> (also the origin).</summary>
    public Address Sender { get; private set; } = DefaultSender;

    /// <summary><c>--value</c>.</summary>
    public ulong Value { get; private set; }

    /// <summary><c>--datetime</c>.</summary>
    public MessageDatetime Datetime { get; private set; } = MessageDatetime.Default;

    /// <summary><c>--state</c>; null keeps the state in memory only.</summary>
    public string? StatePath { get; private set; }

    /// <summary><c>--validator</c> (else leader).</summary>
    public bool Validator { get; private set; }

    /// <summary><c>--sync</c>.</summary>
    public bool Sync { get; private set; }

    /// <summary><c>--apply-messages</c>: a returned transaction's messages run as the following transactions, values move.</summary>
    public bool ApplyMessages { get; private set; }

    /// <summary><c>--permissions</c>.</summary>
    public string Permissions { get; private set; } = Permission.Default;

    /// <summary>Print the result lines (default on).</summary>
    public bool PrintResult { get; private set; } = true;

    /// <summary>Print the fingerprint.</summary>
    public bool PrintFingerprint { get; private set; }

    /// <summary><c>--host-data</c>: forwarded to the modules in the Hello (host-protocol.md §1.1); null when absent.</summary>
    public CalldataMap? HostData { get; private set; }

    /// <summary><c>--cookie</c>: forwarded to the modules in the Hello; null when absent (a random one is made).</summary>
    public string? Cookie { get; private set; }

    /// <summary><c>--help</c> was given.</summary>
    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/>; false with a one-line <paramref name="error"/>.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out ExecArguments parsed, out string error)
    {
        parsed = new ExecArguments();
        error = string.Empty;
        string? method = null;
        string? argsText = null;
        string? calldataText = null;
        var printSeen = false;
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                var (arg, inline) = OptionToken.Split(args[i]);

                string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new FormatException($"option `{arg}` needs a value"));

                switch (arg)
                {
                    case "-h" or "--help":
                        parsed.Help = true;
                        return true;
                    case "--method":
                        method = Value();
                        break;
                    case "--args":
                        argsText = Value();
                        break;
                    case "--calldata":
                        calldataText = Value();
                        break;
                    case "--deploy" when inline is null:
                        parsed.Deploy = true;
                        break;
                    case "--address":
                        parsed.Contract = ParseAddress("--address", Value());
                        break;
                    case "--sender":
                        parsed.Sender = ParseAddress("--sender", Value());
                        break;
                    case "--value":
                        var value = Value();
                        parsed.Value = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                            ? v
                            : throw new FormatException($"--value must be a whole number from 0 to {ulong.MaxValue}, not `{value}`");
                        break;
                    case "--datetime":
                        var datetime = Value();
                        parsed.Datetime = MessageDatetime.TryParse(datetime, out var dt, out var dtError)
                            ? dt
                            : throw new FormatException($"--datetime: {dtError}");
                        break;
                    case "--state":
                        parsed.StatePath = Value();
                        break;
                    case "--host-data":
                        try
                        {
                            parsed.HostData = GenVm.Core.Messages.HostData.Parse(Value()).Value;
                        }
                        catch (GenVm.Core.Messages.MessageFormatException e)
                        {
                            throw new FormatException($"--host-data: {e.Message}", e);
                        }

                        break;
                    case "--cookie":
                        parsed.Cookie = Value();
                        break;
                    case "--leader" when inline is null:
                        parsed.Validator = false;
                        break;
                    case "--validator" when inline is null:
                        parsed.Validator = true;
                        break;
                    case "--sync" when inline is null:
                        parsed.Sync = true;
                        break;
                    case "--apply-messages" when inline is null:
                        parsed.ApplyMessages = true;
                        break;
                    case "--permissions":
                        var permissions = Value();
                        parsed.Permissions = PermissionsOption.Problem(permissions) is { } problem ? throw new FormatException(problem) : permissions;
                        break;
                    case "--print":
                        if (!printSeen)
                        {
                            // An explicit --print replaces the default (result).
                            parsed.PrintResult = false;
                            printSeen = true;
                        }

                        switch (Value())
                        {
                            case "result":
                                parsed.PrintResult = true;
                                break;
                            case "fingerprint":
                                parsed.PrintFingerprint = true;
                                break;
                            case "none":
                                break;
                            case var other:
                                throw new FormatException($"--print takes result, fingerprint or none, not `{other}`");
                        }

                        break;
                    default:
                        if (arg.StartsWith('-'))
                        {
                            throw new FormatException($"unknown option `{args[i]}` (see genvm exec --help)");
                        }

                        if (parsed.ContractPath.Length > 0)
                        {
                            throw new FormatException($"one contract file only (got `{parsed.ContractPath}` and `{arg}`)");
                        }

                        parsed.ContractPath = arg;
                        break;
                }
            }

            parsed.Calldata = BuildCalldata(method, argsText, calldataText);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }

        return true;
    }

    // {"method": m, "args": [...]}; --calldata gives the whole value instead.
    private static CalldataValue BuildCalldata(string? method, string? argsText, string? calldataText)
    {
        if (calldataText is not null)
        {
            if (method is not null || argsText is not null)
            {
                throw new FormatException("--calldata replaces --method and --args; give one or the other");
            }

            return ParseText("--calldata", calldataText);
        }

        var entries = new List<KeyValuePair<string, CalldataValue>>();
        if (argsText is not null)
        {
            var parsedArgs = ParseText("--args", argsText);
            if (parsedArgs is not CalldataArray)
            {
                throw new FormatException($"--args must be an array such as '[1, \"two\"]', not `{argsText}`");
            }

            entries.Add(new(EntryCalldataKey.Args, parsedArgs));
        }
        else if (method is not null)
        {
            entries.Add(new(EntryCalldataKey.Args, CalldataValue.FromArray()));
        }

        if (method is not null)
        {
            entries.Add(new(EntryCalldataKey.Method, CalldataValue.FromString(method)));
        }

        return CalldataValue.FromMap(entries);
    }

    private static CalldataValue ParseText(string option, string text)
        => CalldataText.TryParse(text, out var value, out var error)
            ? value
            : throw new FormatException($"{option}: bad calldata text: {error!.Message}");

    private static Address ParseAddress(string option, string text)
        => Address.TryParse(text, out var address)
            ? address
            : throw new FormatException($"{option} must be 40 hex digits, optionally prefixed by 0x, not `{text}`");
}
