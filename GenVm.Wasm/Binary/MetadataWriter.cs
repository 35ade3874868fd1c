using System.Text;

namespace GenVm.Wasm.Binary;

/// <summary>
/// Builds module metadata (<see cref="ModuleMetadata"/>): unsigned LEB128 integers (minimal), single bytes and
/// length-prefixed UTF-8 strings, appended to a growing buffer. Read back by <see cref="MetadataReader"/>.
/// </summary>
internal sealed class MetadataWriter
{
    private readonly GrowableBuffer _buffer = new(1024);

    /// <summary>Bytes written so far.</summary>
    public int BytesWritten => _buffer.Length;

    /// <summary>One byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>A boolean as the byte 0 or 1.</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>An unsigned LEB128 of at most 5 bytes.</summary>
    public void WriteVarUInt32(uint value) => WriteVarUInt64(value);

    /// <summary>An unsigned LEB128 of at most 10 bytes.</summary>
    public void WriteVarUInt64(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
    }

    /// <summary>A non-negative int as <see cref="WriteVarUInt32"/>.</summary>
    public void WriteCount(int value) => WriteVarUInt32(checked((uint)value));

    /// <summary>The UTF-8 byte length (LEB128), then the bytes.</summary>
    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteCount(count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    /// <summary>A copy of everything written.</summary>
    public byte[] Encode() => _buffer.Encode();

    /// <summary>Copies everything written to <paramref name="destination"/> when it is large enough.</summary>
    public bool TryEncode(Span<byte> destination, out int bytesWritten) => _buffer.TryEncode(destination, out bytesWritten);

    /// <summary>Forgets everything written.</summary>
    public void Reset() => _buffer.Reset();

    private Span<byte> Reserve(int count) => _buffer.Reserve(count);
}
