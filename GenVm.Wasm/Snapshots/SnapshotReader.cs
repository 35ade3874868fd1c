using System.Buffers.Binary;
using System.Text;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// Reads what <see cref="SnapshotWriter"/> wrote. Every read checks the remaining bytes first and advances only when
/// it succeeds, so a failed read leaves <see cref="BytesConsumed"/> unchanged; a declared count is checked against the
/// remaining bytes before anything is allocated. Every failure is a <see cref="SnapshotFormatException"/> carrying
/// the offset (<see cref="BaseOffset"/> plus the position).
/// </summary>
public ref struct SnapshotReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Reads <paramref name="data"/>, which starts at file offset <paramref name="baseOffset"/>.</summary>
    public SnapshotReader(ReadOnlySpan<byte> data, long baseOffset = 0)
    {
        _data = data;
        BaseOffset = baseOffset;
    }

    /// <summary>The file offset of the first byte.</summary>
    public long BaseOffset { get; }

    /// <summary>Bytes read so far.</summary>
    public readonly int BytesConsumed => _position;

    /// <summary>Bytes left.</summary>
    public readonly int BytesRemaining => _data.Length - _position;

    /// <summary>One byte.</summary>
    public byte ReadByte() => Take(1, "byte")[0];

    /// <summary>A little-endian u32.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "u32"));

    /// <summary>A little-endian i32.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4, "i32"));

    /// <summary>A little-endian u64.</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "u64"));

    /// <summary>A little-endian i64.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8, "i64"));

    /// <summary>A byte that must be 0 or 1.</summary>
    public bool ReadBoolean()
    {
        var value = Peek(1, "bool")[0];
        if (value > 1)
        {
            throw Fail($"boolean byte {value} is neither 0 nor 1");
        }

        _position++;
        return value == 1;
    }

    /// <summary><paramref name="count"/> raw bytes (fixed-size fields such as hashes).</summary>
    public ReadOnlySpan<byte> ReadRaw(int count) => Take(count, "raw bytes");

    /// <summary>A u32 length, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadLengthPrefix(1);
        return Take(length, "byte string");
    }

    /// <summary>A u32 byte length, then that many bytes of valid UTF-8.</summary>
    public string ReadString()
    {
        var start = _position;
        var bytes = ReadBytes();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            _position = start;
            throw Fail("string is not valid UTF-8");
        }
    }

    /// <summary>
    /// A u32 element count, checked before anything is allocated: <paramref name="count"/> elements of at least
    /// <paramref name="minimumElementBytes"/> bytes each must fit in the remaining bytes, and the count must be at
    /// most <paramref name="limit"/>.
    /// </summary>
    public int ReadCount(int minimumElementBytes, int limit = int.MaxValue)
    {
        var value = BinaryPrimitives.ReadUInt32LittleEndian(Peek(4, "count"));
        if (value > (uint)limit)
        {
            throw Fail($"count {value} exceeds the limit {limit}");
        }

        if ((ulong)value * (ulong)Math.Max(1, minimumElementBytes) > (ulong)(BytesRemaining - 4))
        {
            throw Fail($"count {value} does not fit in the remaining {BytesRemaining - 4} bytes");
        }

        _position += 4;
        return (int)value;
    }

    /// <summary>A failure at the current position.</summary>
    public readonly SnapshotFormatException Fail(string reason) => new(reason, BaseOffset + _position);

    private int ReadLengthPrefix(int elementBytes)
    {
        var value = BinaryPrimitives.ReadUInt32LittleEndian(Peek(4, "length"));
        if ((ulong)value * (ulong)elementBytes > (ulong)(BytesRemaining - 4))
        {
            throw Fail($"length {value} runs past the end ({BytesRemaining - 4} bytes left)");
        }

        _position += 4;
        return (int)value;
    }

    private readonly ReadOnlySpan<byte> Peek(int count, string what)
    {
        if (count < 0 || BytesRemaining < count)
        {
            throw Fail($"unexpected end reading a {what}");
        }

        return _data.Slice(_position, count);
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        var span = Peek(count, what);
        _position += count;
        return span;
    }
}
