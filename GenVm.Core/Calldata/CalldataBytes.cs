namespace GenVm.Core.Calldata;

/// <summary>An immutable octet string (calldata.md §3.3).</summary>
public sealed class CalldataBytes : CalldataValue
{
    internal static readonly CalldataBytes Empty = new([]);

    private readonly byte[] _data;

    // Takes ownership of the array: callers must not keep a reference they later mutate.
    internal CalldataBytes(byte[] data) => _data = data;

    /// <inheritdoc/>
    public override CalldataKind Kind => CalldataKind.Bytes;

    /// <summary>The number of octets.</summary>
    public int Length => _data.Length;

    /// <summary>The octets.</summary>
    public ReadOnlySpan<byte> Span => _data;

    /// <summary>The octets.</summary>
    public ReadOnlyMemory<byte> Memory => _data;

    /// <summary>Returns a copy of the octets.</summary>
    public byte[] ToArray() => (byte[])_data.Clone();
}
