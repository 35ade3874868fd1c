using System.Text;

namespace GenVm.Core.Wasi;

/// <summary>Orders names by their UTF-8 bytes (wasm-abi.md §9.3 <c>fd_readdir</c>: children sorted by name bytes).</summary>
internal sealed class Utf8NameComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static Utf8NameComparer Instance { get; } = new();

    /// <inheritdoc />
    /// <remarks>
    /// Without surrogates where the names first differ, the UTF-8 byte order is the order of the first differing
    /// UTF-16 units (UTF-8 preserves code point order, and below U+D800 and from U+E000 code units are code points), so
    /// no bytes are made: sorting the 1,000 members of CPython's tar allocated two arrays per comparison before. Around
    /// surrogates (pairs, or lone ones that encode as U+FFFD) the names are encoded and compared as bytes.
    /// </remarks>
    public int Compare(string? x, string? y)
    {
        x ??= string.Empty;
        y ??= string.Empty;
        var common = x.AsSpan().CommonPrefixLength(y);
        if (common > 0 && char.IsSurrogate(x[common - 1]))
        {
            return CompareBytes(x, y);
        }

        if (common == x.Length || common == y.Length)
        {
            // One is a prefix of the other, cut at a non-surrogate: its bytes are a prefix of the other's too.
            return x.Length.CompareTo(y.Length);
        }

        var a = x[common];
        var b = y[common];
        return char.IsSurrogate(a) || char.IsSurrogate(b) ? CompareBytes(x, y) : a.CompareTo(b);
    }

    private static int CompareBytes(string x, string y) =>
        Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
}
