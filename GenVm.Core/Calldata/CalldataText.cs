using System.Text;

namespace GenVm.Core.Calldata;

/// <summary>
/// Text forms of calldata values.
/// <para>
/// The lossless form (<see cref="Print"/> / <see cref="Parse"/>) is JSON extended for calldata: integers of any size
/// and sign (<c>-12345678901234567890123</c>), <c>b#&lt;hex&gt;</c> for bytes (<c>b#</c> alone is empty bytes) and
/// <c>addr#&lt;40 hex&gt;</c> for addresses; strings use JSON escapes. The printer writes no spaces, bytes in full,
/// lowercase hex, map keys in canonical order, and pure ASCII: non-ASCII characters become <c>\uXXXX</c> (astral ones
/// as surrogate pairs), like Python's <c>json.dumps</c>. The parser accepts JSON whitespace, either hex case, literal
/// non-ASCII, and map keys in any order (it sorts them canonically; a duplicate key is an error). Floats are rejected.
/// For every value, <c>Parse(Print(v))</c> equals <c>v</c>.
/// </para>
/// <para>The debug form (<see cref="PrintDebug"/>) is the executor's log rendering (calldata.md §9.2).</para>
/// </summary>
public static class CalldataText
{
    /// <summary>Renders the lossless text form.</summary>
    public static string Print(CalldataValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return CalldataTextPrinter.Print(value, debug: false);
    }

    /// <summary>
    /// Renders the executor's debug/log form (calldata.md §9.2): strings in Rust Debug quoting, bytes longer than
    /// 64 octets abbreviated as first 32 hex, <c>...</c>, last 32 hex.
    /// </summary>
    public static string PrintDebug(CalldataValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return CalldataTextPrinter.Print(value, debug: true);
    }

    /// <summary>Parses the lossless text form.</summary>
    /// <exception cref="CalldataTextException">The text is malformed (the message says where and what was expected).</exception>
    public static CalldataValue Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CalldataTextParser(text).ParseDocument();
    }

    /// <summary>Parses like <see cref="Parse"/> but reports failure instead of throwing.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CalldataValue? value, out CalldataTextException? error)
    {
        try
        {
            value = Parse(text);
            error = null;
            return true;
        }
        catch (CalldataTextException e)
        {
            value = null;
            error = e;
            return false;
        }
    }

    /// <summary>Appends the lossless text form to a builder.</summary>
    public static void Print(CalldataValue value, StringBuilder destination)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(destination);
        CalldataTextPrinter.Print(value, debug: false, destination);
    }
}
