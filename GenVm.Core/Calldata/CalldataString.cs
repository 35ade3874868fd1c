using System.Text;

namespace GenVm.Core.Calldata;

/// <summary>Unicode text, encoded as UTF-8 on the wire (calldata.md §3.3).</summary>
public sealed class CalldataString : CalldataValue
{
    internal static readonly CalldataString Empty = new(string.Empty, trusted: true);

    /// <summary>Creates a string value.</summary>
    /// <exception cref="ArgumentException">The string holds a lone surrogate, so it has no UTF-8 form.</exception>
    public CalldataString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!CalldataUtf8.IsValidUtf16(value))
        {
            throw new ArgumentException("calldata strings must be valid Unicode (lone surrogate found)", nameof(value));
        }

        Value = value;
    }

    // For strings produced by the decoder from validated UTF-8.
    internal CalldataString(string value, bool trusted)
    {
        _ = trusted;
        Value = value;
    }

    /// <inheritdoc/>
    public override CalldataKind Kind => CalldataKind.Str;

    /// <summary>The text.</summary>
    public string Value { get; }

    /// <summary>The length of the UTF-8 form in octets.</summary>
    public int Utf8Length => Encoding.UTF8.GetByteCount(Value);
}
