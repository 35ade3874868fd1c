using GenVm.Core.Calldata;

namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm calldata encode '&lt;text&gt;'</c> prints the canonical encoding as lowercase hex;
/// <c>genvm calldata decode &lt;hex&gt;</c> prints the lossless text form (see <see cref="CalldataText"/>).
/// An argument of <c>-</c> is read from stdin. Bad input: one error line on stderr, exit code 1.
/// </summary>
internal sealed class CalldataVerb : IVerb
{
    public string Name => "calldata";

    public string Summary => "encode text to calldata hex, or decode hex to text ('-' reads stdin)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count != 2 || args[0] is not ("encode" or "decode"))
        {
            await Console.Error.WriteLineAsync("usage: genvm calldata encode '<text>' | genvm calldata decode <hex>   ('-' reads the argument from stdin)").ConfigureAwait(false);
            return 2;
        }

        var input = args[1];
        if (input == "-")
        {
            input = await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (args[0] == "encode")
            {
                var value = CalldataText.Parse(input.Trim());
                await Console.Out.WriteLineAsync(Convert.ToHexStringLower(CalldataCodec.Encode(value))).ConfigureAwait(false);
            }
            else
            {
                var value = CalldataCodec.Decode(ParseHex(input));
                await Console.Out.WriteLineAsync(CalldataText.Print(value)).ConfigureAwait(false);
            }

            return 0;
        }
        catch (Exception e) when (e is CalldataTextException or CalldataFormatException or FormatException)
        {
            await Console.Error.WriteLineAsync($"genvm calldata {args[0]}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    // Accepts an optional 0x prefix and whitespace anywhere (so `xxd -p` output can be piped in).
    private static byte[] ParseHex(string text)
    {
        var digits = new System.Text.StringBuilder(text.Length);
        var start = 0;
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            start = text.Length - trimmed.Length + 2;
        }

        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                throw new FormatException($"invalid hex digit '{c}' at position {i}");
            }

            digits.Append(c);
        }

        if (digits.Length % 2 != 0)
        {
            throw new FormatException($"odd number of hex digits ({digits.Length})");
        }

        return Convert.FromHexString(digits.ToString());
    }
}
