using System.Globalization;
using System.Text;

namespace GenVm.Core.Calldata;

/// <summary>
/// Rust's <c>Debug</c> escaping of a <c>str</c> body (without the surrounding quotes), as used for
/// <c>UserError("…")</c> (calldata.md §9.1) and for strings in the debug form (§9.2).
/// ASCII is exact: <c>"</c> <c>\</c> newline CR TAB NUL get their short escapes, other controls and DEL become
/// <c>\u{hex}</c>, and printable ASCII (including <c>'</c>) stays literal.
/// UNKNOWN: for non-ASCII, Rust uses its own printability and Grapheme_Extend tables; this approximates them with
/// .NET's Unicode categories (docs/decisions.md, "calldata: Rust Debug escaping of non-ASCII").
/// </summary>
internal static class RustDebugEscaper
{
    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        AppendEscaped(sb, value);
        return sb.ToString();
    }

    public static void AppendEscaped(StringBuilder sb, string value)
    {
        var i = 0;
        while (i < value.Length)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                // A lone surrogate cannot occur in a Rust str; show it as Rust would show U+FFFD-less data: escaped.
                sb.Append("\\u{").Append(((int)value[i]).ToString("x", CultureInfo.InvariantCulture)).Append('}');
                i++;
                continue;
            }

            AppendRune(sb, rune);
            i += consumed;
        }
    }

    private static void AppendRune(StringBuilder sb, Rune rune)
    {
        var v = rune.Value;
        switch (v)
        {
            case '"':
                sb.Append("\\\"");
                return;
            case '\\':
                sb.Append("\\\\");
                return;
            case '\n':
                sb.Append("\\n");
                return;
            case '\r':
                sb.Append("\\r");
                return;
            case '\t':
                sb.Append("\\t");
                return;
            case '\0':
                sb.Append("\\0");
                return;
        }

        if (v is >= 0x20 and < 0x7F)
        {
            sb.Append((char)v);
            return;
        }

        if (v < 0x80 || IsGraphemeExtend(v) || !IsPrintable(v))
        {
            sb.Append("\\u{").Append(v.ToString("x", CultureInfo.InvariantCulture)).Append('}');
            return;
        }

        Span<char> buffer = stackalloc char[2];
        var n = rune.EncodeToUtf16(buffer);
        sb.Append(buffer[..n]);
    }

    private static bool IsPrintable(int v)
    {
        switch (CharUnicodeInfo.GetUnicodeCategory(v))
        {
            case UnicodeCategory.Control:
            case UnicodeCategory.Format:
            case UnicodeCategory.Surrogate:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
            case UnicodeCategory.SpaceSeparator:
                return false;
            default:
                return true;
        }
    }

    private static bool IsGraphemeExtend(int v)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(v);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
        {
            return true;
        }

        // A few Other_Grapheme_Extend code points that are not Mn/Me.
        return v is 0x200C or 0xFF9E or 0xFF9F or (>= 0x1F3FB and <= 0x1F3FF) or (>= 0xE0020 and <= 0xE007F);
    }
}
