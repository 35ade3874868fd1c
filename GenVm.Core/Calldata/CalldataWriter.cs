using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace GenVm.Core.Calldata;

/// <summary>
/// Writes the one canonical calldata encoding (calldata.md §2–§5) of exactly one root value, either into an
/// <see cref="IBufferWriter{T}"/> given at construction or into an internal buffer read back with
/// <see cref="Encode"/> / <see cref="TryEncode"/>. Values can be written whole (<see cref="WriteValue"/>) or streamed:
/// <see cref="WriteStartArray"/>/<see cref="WriteStartMap"/> declare the element count, a container closes by itself
/// after its last element, and map keys (<see cref="WriteKey(string)"/>) must come in canonical order (§5), which the
/// writer checks. Misuse throws <see cref="InvalidOperationException"/>. Not thread-safe.
/// </summary>
public sealed partial class CalldataWriter
{
    private readonly ArrayBufferWriter<byte>? _own;
    private IBufferWriter<byte> _output;

    // Streaming state: one frame per open container.
    private Frame[] _frames = [];
    private int _depth;
    private byte[] _keyBuffer = [];
    private bool _rootWritten;
    private int _bytesWritten;

    // Tree-encoding stack, reused between calls.
    private TreeFrame[] _tree = [];

    /// <summary>Creates a writer with its own growable buffer.</summary>
    public CalldataWriter()
        : this(initialCapacity: 256)
    {
    }

    /// <summary>Creates a writer with its own growable buffer of the given initial size.</summary>
    public CalldataWriter(int initialCapacity)
    {
        _own = new ArrayBufferWriter<byte>(Math.Max(1, initialCapacity));
        _output = _own;
    }

    /// <summary>Creates a writer that appends to <paramref name="output"/>; <see cref="Encode"/> is then unavailable.</summary>
    public CalldataWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Octets written since construction or the last <see cref="Reset"/>.</summary>
    public int BytesWritten => _bytesWritten;

    /// <summary>True once the root value has been written completely (all declared elements present).</summary>
    public bool IsComplete => _rootWritten && _depth == 0;

    /// <summary>Number of currently open containers.</summary>
    public int CurrentDepth => _depth;

    /// <summary>Forgets everything written (and empties the internal buffer) so another root value can be written.</summary>
    public void Reset()
    {
        _own?.ResetWrittenCount();
        Array.Clear(_frames, 0, _depth);
        _depth = 0;
        _rootWritten = false;
        _bytesWritten = 0;
    }

    /// <summary>Returns a copy of the encoding of the completed root value.</summary>
    /// <exception cref="InvalidOperationException">The value is incomplete, or the writer targets an external buffer.</exception>
    public byte[] Encode()
    {
        var own = CheckEncodable();
        return own.WrittenSpan.ToArray();
    }

    /// <summary>Copies the encoding of the completed root value into <paramref name="destination"/> if it fits.</summary>
    /// <exception cref="InvalidOperationException">The value is incomplete, or the writer targets an external buffer.</exception>
    public bool TryEncode(Span<byte> destination, out int bytesWritten)
    {
        var own = CheckEncodable();
        if (!own.WrittenSpan.TryCopyTo(destination))
        {
            bytesWritten = 0;
            return false;
        }

        bytesWritten = own.WrittenCount;
        return true;
    }

    /// <summary>Writes null (<c>00</c>).</summary>
    public void WriteNull()
    {
        BeforeValue();
        WriteByte(0x00);
        AfterValue();
    }

    /// <summary>Writes a boolean (<c>10</c> / <c>08</c>).</summary>
    public void WriteBool(bool value)
    {
        BeforeValue();
        WriteByte(value ? (byte)0x10 : (byte)0x08);
        AfterValue();
    }

    /// <summary>Writes a number.</summary>
    public void WriteNumber(long value)
    {
        BeforeValue();
        WriteNumberCore(value);
        AfterValue();
    }

    /// <summary>Writes a number.</summary>
    public void WriteNumber(ulong value)
    {
        BeforeValue();
        WriteUleb(((UInt128)value << 3) | CalldataTag.PositiveInt);
        AfterValue();
    }

    /// <summary>Writes a number of any magnitude.</summary>
    public void WriteNumber(BigInteger value)
    {
        BeforeValue();
        WriteNumberCore(value);
        AfterValue();
    }

    /// <summary>Writes an octet string.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        BeforeValue();
        WriteBlob(value, CalldataTag.Bytes);
        AfterValue();
    }

    /// <summary>Writes a string.</summary>
    /// <exception cref="ArgumentException">The text holds a lone surrogate.</exception>
    public void WriteString(ReadOnlySpan<char> value)
    {
        if (!CalldataUtf8.IsValidUtf16(value))
        {
            throw new ArgumentException("calldata strings must be valid Unicode (lone surrogate found)", nameof(value));
        }

        BeforeValue();
        WriteText(value, isKey: false);
        AfterValue();
    }

    /// <summary>Writes a string given as UTF-8 octets.</summary>
    /// <exception cref="ArgumentException">The octets are not valid UTF-8.</exception>
    public void WriteUtf8String(ReadOnlySpan<byte> utf8)
    {
        if (!CalldataUtf8.IsValid(utf8))
        {
            throw new ArgumentException("calldata strings must be valid UTF-8", nameof(utf8));
        }

        BeforeValue();
        WriteBlob(utf8, CalldataTag.Str);
        AfterValue();
    }

    /// <summary>Writes an address (<c>18</c> then 20 octets).</summary>
    public void WriteAddress(Address value)
    {
        BeforeValue();
        WriteAddressCore(value);
        AfterValue();
    }

    /// <summary>Writes an array header; the next <paramref name="count"/> values are its elements.</summary>
    public void WriteStartArray(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        BeforeValue();
        WriteUleb(((ulong)count << 3) | CalldataTag.Array);
        if (count == 0)
        {
            AfterValue();
        }
        else
        {
            Push(isMap: false, count);
        }
    }

    /// <summary>Writes a map header; then write <paramref name="count"/> times a key and a value, keys in canonical order.</summary>
    public void WriteStartMap(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        BeforeValue();
        WriteUleb(((ulong)count << 3) | CalldataTag.Map);
        if (count == 0)
        {
            AfterValue();
        }
        else
        {
            Push(isMap: true, count);
        }
    }

    /// <summary>Writes the next map key.</summary>
    /// <exception cref="ArgumentException">The key holds a lone surrogate.</exception>
    /// <exception cref="InvalidOperationException">No key is expected here, or the key is not after the previous one in UTF-8 order.</exception>
    public void WriteKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        WriteKey(key.AsSpan());
    }

    /// <summary>Writes the next map key.</summary>
    /// <exception cref="ArgumentException">The key holds a lone surrogate.</exception>
    /// <exception cref="InvalidOperationException">No key is expected here, or the key is not after the previous one in UTF-8 order.</exception>
    public void WriteKey(ReadOnlySpan<char> key)
    {
        if (!CalldataUtf8.IsValidUtf16(key))
        {
            throw new ArgumentException("calldata map keys must be valid Unicode (lone surrogate found)", nameof(key));
        }

        var length = Encoding.UTF8.GetByteCount(key);
        var scratch = ReserveKey(length);
        Encoding.UTF8.GetBytes(key, scratch);
        CommitKey(length);
    }

    /// <summary>Writes the next map key given as UTF-8 octets.</summary>
    /// <exception cref="ArgumentException">The key is not valid UTF-8.</exception>
    /// <exception cref="InvalidOperationException">No key is expected here, or the key is not after the previous one in UTF-8 order.</exception>
    public void WriteUtf8Key(ReadOnlySpan<byte> key)
    {
        if (!CalldataUtf8.IsValid(key))
        {
            throw new ArgumentException("calldata map keys must be valid UTF-8", nameof(key));
        }

        key.CopyTo(ReserveKey(key.Length));
        CommitKey(key.Length);
    }

    /// <summary>Writes a whole value (iteratively: any depth is fine).</summary>
    public void WriteValue(CalldataValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        BeforeValue();
        WriteTree(value);
        AfterValue();
    }

    private ArrayBufferWriter<byte> CheckEncodable()
    {
        if (_own is null)
        {
            throw new InvalidOperationException("this writer appends to an external buffer; read the encoding from it");
        }

        if (!IsComplete)
        {
            throw new InvalidOperationException("the calldata value is not complete");
        }

        return _own;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteByte(byte value)
    {
        var span = _output.GetSpan(1);
        span[0] = value;
        _output.Advance(1);
        _bytesWritten++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteUleb(ulong value)
    {
        var span = _output.GetSpan(10);
        var n = Uleb128.Write(span, value);
        _output.Advance(n);
        _bytesWritten += n;
    }

    private void WriteUleb(UInt128 value)
    {
        var span = _output.GetSpan(Uleb128.MaxUInt128Length);
        var n = Uleb128.Write(span, value);
        _output.Advance(n);
        _bytesWritten += n;
    }

    private void WriteNumberCore(long value)
    {
        // calldata.md §3.2: n >= 0 -> (n << 3) | 1, n < 0 -> ((-n - 1) << 3) | 2; ~n == -n - 1.
        if (value >= 0)
        {
            WriteUleb(((UInt128)(ulong)value << 3) | CalldataTag.PositiveInt);
        }
        else
        {
            WriteUleb(((UInt128)(ulong)~value << 3) | CalldataTag.NegativeInt);
        }
    }

    private void WriteNumberCore(in BigInteger value)
    {
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            WriteNumberCore((long)value);
            return;
        }

        var negative = value.Sign < 0;
        var magnitude = negative ? -(value + BigInteger.One) : value;
        var groups = (int)((magnitude.GetBitLength() + 3 + 6) / 7);
        WriteBigHeader(magnitude, negative ? CalldataTag.NegativeInt : CalldataTag.PositiveInt, _output.GetSpan(groups));
        _output.Advance(groups);
        _bytesWritten += groups;
    }

    // Writes the ULEB of (magnitude << 3) | tag into exactly ceil((bits + 3) / 7) octets (calldata.md §2, §3.2).
    private static void WriteBigHeader(in BigInteger magnitude, uint tag, Span<byte> destination)
    {
        var byteCount = magnitude.GetByteCount(isUnsigned: true);
        byte[]? rented = null;
        var le = byteCount <= 256 ? stackalloc byte[byteCount] : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            magnitude.TryWriteBytes(le, out var written, isUnsigned: true, isBigEndian: false);
            var groups = (int)((magnitude.GetBitLength() + 3 + 6) / 7);

            // Stream the 3 tag bits followed by the magnitude's bits out in 7-bit groups.
            ulong acc = tag;
            var accBits = 3;
            var next = 0;
            for (var g = 0; g < groups; g++)
            {
                while (accBits < 7 && next < written)
                {
                    acc |= (ulong)le[next++] << accBits;
                    accBits += 8;
                }

                var group = (byte)(acc & 0x7F);
                acc >>= 7;
                accBits -= 7;
                destination[g] = g == groups - 1 ? group : (byte)(group | 0x80);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private void WriteBlob(ReadOnlySpan<byte> value, uint tag)
    {
        var span = _output.GetSpan(10 + value.Length);
        var n = Uleb128.Write(span, ((ulong)(uint)value.Length << 3) | tag);
        value.CopyTo(span[n..]);
        n += value.Length;
        _output.Advance(n);
        _bytesWritten += n;
    }

    private void WriteText(ReadOnlySpan<char> value, bool isKey)
    {
        // A map key carries a bare length (calldata.md §3.5), a string a STR header (§3.3).
        var length = Encoding.UTF8.GetByteCount(value);
        var header = isKey ? (ulong)(uint)length : ((ulong)(uint)length << 3) | CalldataTag.Str;
        var span = _output.GetSpan(10 + length);
        var n = Uleb128.Write(span, header);
        n += Encoding.UTF8.GetBytes(value, span[n..]);
        _output.Advance(n);
        _bytesWritten += n;
    }

    private void WriteAddressCore(Address value)
    {
        var span = _output.GetSpan(1 + Address.Length);
        span[0] = 0x18;
        value.CopyTo(span[1..]);
        _output.Advance(1 + Address.Length);
        _bytesWritten += 1 + Address.Length;
    }
}
