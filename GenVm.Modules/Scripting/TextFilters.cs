using System.Globalization;
using System.Text;

namespace GenVm.Modules.Scripting;

/// <summary>
/// The greybox text filters of the target version (modules.md §3.8): <c>NFC</c>, <c>NFKC</c>, <c>RmZeroWidth</c>,
/// <c>NormalizeWS</c>, applied in list order by <c>filter_text</c> (§5.2).
/// </summary>
internal static class TextFilters
{
    /// <summary>The filter names the target version knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["NFC", "NFKC", "RmZeroWidth", "NormalizeWS"];

    /// <summary>Applies the named filters in order.</summary>
    /// <exception cref="ArgumentException">An unknown filter name.</exception>
    public static string Apply(string text, IEnumerable<string> filters)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(filters);
        foreach (var filter in filters)
        {
            text = filter switch
            {
                "NFC" => IcuNormalizer.Normalize(text, compatibility: false),
                "NFKC" => IcuNormalizer.Normalize(text, compatibility: true),
                "RmZeroWidth" => RemoveZeroWidth(text),
                "NormalizeWS" => NormalizeWhitespace(text),
                _ => throw new ArgumentException($"unknown text filter `{filter}`", nameof(filters)),
            };
        }

        return text;
    }

    /// <summary>
    /// <c>RmZeroWidth</c>: keeps space and <c>\n</c>, drops every character whose display width is 0 or undefined
    /// (modules.md §3.8). The reference asks the Rust <c>unicode-width</c> tables; we classify the same way from the
    /// general category (docs/decisions.md "Greybox text filters").
    /// </summary>
    public static string RemoveZeroWidth(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is ' ' or '\n' || !IsZeroOrUndefinedWidth(rune))
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// <c>NormalizeWS</c> (modules.md §3.8): leading whitespace dropped; spaces before a <c>\n</c> dropped; at most two
    /// <c>\n</c> per run (other whitespace inside the run does not end it); other whitespace becomes one space per run,
    /// never right after a <c>\n</c>; trailing spaces dropped.
    /// </summary>
    public static string NormalizeWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var started = false;
        var pendingSpace = false;
        var newlines = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == '\n')
            {
                if (!started)
                {
                    continue;
                }

                pendingSpace = false;
                if (newlines < 2)
                {
                    builder.Append('\n');
                }

                newlines++;
            }
            else if (Rune.IsWhiteSpace(rune))
            {
                if (started && newlines == 0)
                {
                    pendingSpace = true;
                }
            }
            else
            {
                if (pendingSpace)
                {
                    builder.Append(' ');
                    pendingSpace = false;
                }

                builder.Append(rune.ToString());
                started = true;
                newlines = 0;
            }
        }

        return builder.ToString();
    }

    private static bool IsZeroOrUndefinedWidth(Rune rune)
    {
        var value = rune.Value;

        // Hangul medial vowels and final consonants combine into the preceding syllable (width 0).
        if (value is >= 0x1160 and <= 0x11FF)
        {
            return true;
        }

        if (IsDefaultIgnorable(value))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            // Controls have no width (None in unicode-width), combining marks have width 0.
            UnicodeCategory.Control or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark => true,

            // Format characters are zero width, except SOFT HYPHEN, which unicode-width prints as 1.
            UnicodeCategory.Format => value != 0x00AD,
            _ => false,
        };
    }

    private static bool IsDefaultIgnorable(int value)
        => value is 0x034F or (>= 0x115F and <= 0x1160) or (>= 0x17B4 and <= 0x17B5) or (>= 0x180B and <= 0x180F)
            or (>= 0x200B and <= 0x200F) or (>= 0x202A and <= 0x202E) or (>= 0x2060 and <= 0x206F) or 0x3164
            or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF or 0xFFA0 or (>= 0xFFF0 and <= 0xFFF8) or (>= 0x1BCA0 and <= 0x1BCA3)
            or (>= 0x1D173 and <= 0x1D17A) or (>= 0xE0000 and <= 0xE0FFF);
}
