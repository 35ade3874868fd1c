using System.Globalization;
using System.Text;

namespace GenVm.Core.Calldata;

/// <summary>
/// The one result line the executor prints with <c>--print=result</c> (calldata.md §9.1, normative for tests):
/// <c>executed with `Return("…")`</c>, <c>`UserError("…")`</c>, <c>`VMError("…")`</c> or <c>`InternalError("")`</c>.
/// </summary>
public static class ResultLineFormatter
{
    private const string Prefix = "executed with `";

    /// <summary>Formats a Return result from the raw returned calldata octets (not a decoded value).</summary>
    public static string FormatReturn(ReadOnlySpan<byte> returnedCalldata)
        => Prefix + "Return(\"" + EscapeReturnBytes(returnedCalldata) + "\")`";

    /// <summary>Formats a UserError result; the message gets Rust Debug string escaping.</summary>
    public static string FormatUserError(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Prefix + "UserError(\"" + RustDebugEscaper.Escape(message) + "\")`";
    }

    /// <summary>Formats a VMError result; the message is inserted verbatim, without escaping.</summary>
    public static string FormatVmError(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Prefix + "VMError(\"" + message + "\")`";
    }

    /// <summary>Formats an executor-internal failure (the message is always empty).</summary>
    public static string FormatInternalError() => Prefix + "InternalError(\"\")`";

    /// <summary>
    /// Renders raw octets the way the Return line shows them (calldata.md §9.1): walked as UTF-8 unit by unit,
    /// an invalid unit as <c>\hh</c> per octet, <c>\</c> as <c>\\</c>, Cc characters as <c>\xhh</c>, all else literal.
    /// </summary>
    public static string EscapeReturnBytes(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length + 8);
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b < 0x80)
            {
                AppendChar(sb, b);
                i++;
                continue;
            }

            var leading = System.Numerics.BitOperations.LeadingZeroCount((uint)(byte)~b) - 24;
            if (leading is < 2 or > 6)
            {
                AppendInvalid(sb, bytes.Slice(i, 1));
                i++;
                continue;
            }

            // Take up to L-1 continuation octets; stop (without consuming) at a non-continuation or the end.
            var scalar = b & (0x7F >> leading);
            var taken = 1;
            while (taken < leading && i + taken < bytes.Length && (bytes[i + taken] & 0xC0) == 0x80)
            {
                scalar = (scalar << 6) | (bytes[i + taken] & 0x3F);
                taken++;
            }

            if (taken < leading)
            {
                AppendInvalid(sb, bytes.Slice(i, taken));
                i += taken;
                continue;
            }

            // Complete sequence: a character only if it is a scalar value encoded in its shortest form.
            if (Rune.IsValid(scalar) && new Rune(scalar).Utf8SequenceLength == leading)
            {
                AppendChar(sb, scalar);
            }
            else
            {
                AppendInvalid(sb, bytes.Slice(i, taken));
            }

            i += taken;
        }

        return sb.ToString();
    }

    private static void AppendChar(StringBuilder sb, int scalar)
    {
        if (scalar == '\\')
        {
            sb.Append("\\\\");
        }
        else if (scalar < 0x20 || (scalar >= 0x7F && scalar <= 0x9F))
        {
            // Unicode category Cc.
            sb.Append("\\x").Append(scalar.ToString("x2", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append(new Rune(scalar).ToString());
        }
    }

    private static void AppendInvalid(StringBuilder sb, ReadOnlySpan<byte> unit)
    {
        foreach (var octet in unit)
        {
            sb.Append('\\').Append(octet.ToString("x2", CultureInfo.InvariantCulture));
        }
    }
}
