using System.Buffers.Binary;
using System.Text;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// Builds the metadata section of a snapshot file (<see cref="SnapshotFile"/>): little-endian fixed-width integers,
/// length-prefixed byte strings and UTF-8 strings, appended to a growing buffer. Embedders encode their own section
/// (<see cref="StoredSnapshot.EmbedderData"/>) with it too.
/// </summary>
public sealed class SnapshotWriter
{
    private readonly GrowableBuffer _buffer = new(256);

    /// <summary>Bytes written so far.</summary>
    public int BytesWritten => _buffer.Length;

    /// <summary>One byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>A little-endian u32.</summary>
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    /// <summary>A little-endian i32.</summary>
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    /// <summary>A little-endian u64.</summary>
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    /// <summary>A little-endian i64.</summary>
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    /// <summary>Raw bytes with no length (fixed-size fields such as hashes).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>A u32 length, then the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteUInt32((uint)bytes.Length);
        WriteRaw(bytes);
    }

    /// <summary>A u32 byte length, then the UTF-8 bytes.</summary>
    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)count);
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
