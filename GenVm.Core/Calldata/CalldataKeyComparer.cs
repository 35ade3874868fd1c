namespace GenVm.Core.Calldata;

/// <summary>
/// Orders .NET strings by Unicode code point, which is the same order as comparing their UTF-8 octets
/// (calldata.md §5). <see cref="string.CompareOrdinal(string, string)"/> is NOT this order: it puts
/// U+E000..U+FFFF after astral characters (surrogates), UTF-8 puts them before (§5 pitfall, example 14).
/// </summary>
public sealed class CalldataKeyComparer : IComparer<string>
{
    /// <summary>The single instance.</summary>
    public static CalldataKeyComparer Instance { get; } = new();

    private CalldataKeyComparer()
    {
    }

    /// <summary>Compares two strings in code point (= UTF-8 octet) order; a proper prefix sorts first.</summary>
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        return Compare(x.AsSpan(), y.AsSpan());
    }

    /// <summary>Compares two UTF-16 spans in code point order.</summary>
    public static int Compare(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        var common = x.CommonPrefixLength(y);
        if (common == x.Length || common == y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }

        return Fixup(x[common]) - Fixup(y[common]);
    }

    // Moves surrogates (D800-DFFF) above E000-FFFF so that code-unit order becomes code-point order.
    // Only the first differing unit matters: a surrogate there stands for a code point >= U+10000.
    private static int Fixup(char c)
    {
        if (c < 0xD800)
        {
            return c;
        }

        return c < 0xE000 ? c + 0x2000 : c - 0x800;
    }
}
