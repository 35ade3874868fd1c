using System.Text;

namespace GenVm.Wasm.Binary;

/// <summary>
/// Reads what <see cref="MetadataWriter"/> wrote. Reads peek, then advance, so a failed read leaves
/// <see cref="BytesConsumed"/> unchanged; LEB128 integers must be minimal and in range; a declared count is checked
/// against the remaining bytes before anything is allocated. Every failure is a <see cref="MetadataFormatException"/>.
/// </summary>
internal ref struct MetadataReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public MetadataReader(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int BytesConsumed => _position;

    /// <summary>Bytes left.</summary>
    public readonly int BytesRemaining => _data.Length - _position;

    /// <summary>One byte.</summary>
    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Fail("unexpected end");
        }

        return _data[_position++];
    }

    /// <summary>A byte that must be 0 or 1.</summary>
    public bool ReadBoolean()
    {
        if (_position >= _data.Length)
        {
            throw Fail("unexpected end");
        }

        var value = _data[_position];
        if (value > 1)
        {
            throw Fail($"boolean byte {value} is neither 0 nor 1");
        }

        _position++;
        return value == 1;
    }

    /// <summary>A minimal unsigned LEB128 that fits 32 bits.</summary>
    public uint ReadVarUInt32()
    {
        var (value, length) = PeekVarUInt(5);
        if (value > uint.MaxValue)
        {
            throw Fail("integer too large");
        }

        _position += length;
        return (uint)value;
    }

    /// <summary>A minimal unsigned LEB128 that fits 64 bits.</summary>
    public ulong ReadVarUInt64()
    {
        var (value, length) = PeekVarUInt(10);
        _position += length;
        return value;
    }

    /// <summary>A non-negative int no larger than <paramref name="limit"/> (none fits a negative limit).</summary>
    public int ReadInt(long limit = int.MaxValue)
    {
        var (value, length) = PeekVarUInt(5);
        if (limit < 0 || value > (ulong)Math.Min(limit, int.MaxValue))
        {
            throw Fail($"value {value} out of range");
        }

        _position += length;
        return (int)value;
    }

    /// <summary>
    /// A count of items that take at least <paramref name="minimumItemBytes"/> each, checked against the remaining
    /// bytes (so a damaged count cannot make the caller allocate a huge array).
    /// </summary>
    public int ReadCount(int minimumItemBytes = 1)
    {
        var (value, length) = PeekVarUInt(5);
        if (value > (ulong)((BytesRemaining - length) / Math.Max(1, minimumItemBytes)))
        {
            throw Fail($"count {value} exceeds the remaining bytes");
        }

        _position += length;
        return (int)value;
    }

    /// <summary>A length-prefixed strict UTF-8 string.</summary>
    public string ReadString()
    {
        var (count, length) = PeekVarUInt(5);
        if (count > (ulong)(BytesRemaining - length))
        {
            throw Fail("string runs past the end");
        }

        string value;
        try
        {
            value = StrictUtf8.GetString(_data.Slice(_position + length, (int)count));
        }
        catch (DecoderFallbackException)
        {
            throw Fail("string is not UTF-8");
        }

        _position += length + (int)count;
        return value;
    }

    /// <summary>A <see cref="MetadataFormatException"/> at the current position.</summary>
    public readonly MetadataFormatException Fail(string message) => new(message, _position);

    private readonly (ulong Value, int Length) PeekVarUInt(int maxBytes)
    {
        ulong value = 0;
        for (var i = 0; i < maxBytes; i++)
        {
            if (_position + i >= _data.Length)
            {
                throw Fail("unexpected end");
            }

            var b = _data[_position + i];
            var shift = 7 * i;
            var bits = (ulong)(b & 0x7F);
            if (shift == 63 && bits > 1)
            {
                throw Fail("integer too large");
            }

            value |= bits << shift;
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    throw Fail("integer representation not minimal");
                }

                return (value, i + 1);
            }
        }

        throw Fail("integer representation too long");
    }
}
