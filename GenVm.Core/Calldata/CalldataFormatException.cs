namespace GenVm.Core.Calldata;

/// <summary>
/// Thrown when calldata octets are not the canonical encoding of exactly one value (calldata.md §6).
/// <see cref="Reason"/> is the reference decoder's error text; <see cref="Offset"/> is the position of the offending
/// construct in the input (the start of the header, key length or ULEB that failed, or the first unparsed octet).
/// </summary>
public sealed class CalldataFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CalldataFormatException(string reason, int offset)
        : base($"{reason} (at offset {offset})")
    {
        Reason = reason;
        Offset = offset;
    }

    /// <summary>The spec's error text, e.g. <c>invalid type 7</c>.</summary>
    public string Reason { get; }

    /// <summary>Byte offset in the decoded input where the error was detected.</summary>
    public int Offset { get; }
}
