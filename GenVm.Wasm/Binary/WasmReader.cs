using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace GenVm.Wasm.Binary;

/// <summary>
/// A forward reader over a slice of a module binary that knows the slice's absolute offset, so every error carries
/// the module offset. Strict: LEB128 integers must be canonical in length and unused bits (Binary format §5.2.2),
/// names must be well-formed UTF-8. Reads peek, then advance: a failed read leaves <see cref="Position"/> unchanged.
/// Failures throw <see cref="ModuleDecodeException"/> only.
/// </summary>
internal ref struct WasmReader
{
    /// <summary>Text for running off the end of the whole binary (spec test suite wording).</summary>
    public const string UnexpectedEnd = "unexpected end";

    /// <summary>Text for running off the end of a section or a function body (spec test suite wording).</summary>
    public const string UnexpectedEndOfSection = "unexpected end of section or function";

    private readonly ReadOnlySpan<byte> bytes;
    private readonly int baseOffset;
    private readonly string endMessage;
    private int position;

    /// <summary>Creates a reader over <paramref name="bytes"/>, which start at <paramref name="baseOffset"/> in the module.</summary>
    /// <param name="bytes">The slice to read.</param>
    /// <param name="baseOffset">Absolute offset of <c>bytes[0]</c> in the module binary.</param>
    /// <param name="endMessage">Error text when a read runs past the slice.</param>
    public WasmReader(ReadOnlySpan<byte> bytes, int baseOffset, string endMessage = UnexpectedEndOfSection)
    {
        this.bytes = bytes;
        this.baseOffset = baseOffset;
        this.endMessage = endMessage;
        position = 0;
    }

    /// <summary>Position relative to the start of the slice.</summary>
    public readonly int Position => position;

    /// <summary>Absolute offset of the next byte in the module binary.</summary>
    public readonly int Offset => baseOffset + position;

    /// <summary>Bytes left in the slice.</summary>
    public readonly int Remaining => bytes.Length - position;

    /// <summary>Whether the slice is fully consumed.</summary>
    public readonly bool IsAtEnd => position >= bytes.Length;

    /// <summary>The whole slice (already-read bytes included).</summary>
    public readonly ReadOnlySpan<byte> Bytes => bytes;

    /// <summary>Length of the slice.</summary>
    public readonly int Length => bytes.Length;

    /// <summary>Throws a decode error at an absolute offset.</summary>
    [DoesNotReturn]
    public static void Fail(string reason, int offset) => throw new ModuleDecodeException(reason, offset);

    /// <summary>Reads one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if ((uint)position >= (uint)bytes.Length)
        {
            Fail(endMessage, Offset);
        }

        return bytes[position++];
    }

    /// <summary>Returns the next byte without consuming it.</summary>
    public readonly byte PeekByte()
    {
        if ((uint)position >= (uint)bytes.Length)
        {
            Fail(endMessage, Offset);
        }

        return bytes[position];
    }

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    public void Skip(int count)
    {
        if (count < 0 || count > Remaining)
        {
            Fail(endMessage, Offset);
        }

        position += count;
    }

    /// <summary>Reads <paramref name="count"/> raw bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining)
        {
            Fail(endMessage, Offset);
        }

        var slice = bytes.Slice(position, count);
        position += count;
        return slice;
    }

    /// <summary>Reads a little-endian 32-bit word (raw bits of <c>f32.const</c>).</summary>
    public uint ReadUInt32LittleEndian()
    {
        if (Remaining < 4)
        {
            Fail(endMessage, baseOffset + bytes.Length);
        }

        var v = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(position, 4));
        position += 4;
        return v;
    }

    /// <summary>Reads a little-endian 64-bit word (raw bits of <c>f64.const</c>).</summary>
    public ulong ReadUInt64LittleEndian()
    {
        if (Remaining < 8)
        {
            Fail(endMessage, baseOffset + bytes.Length);
        }

        var v = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(position, 8));
        position += 8;
        return v;
    }

    /// <summary>Reads an unsigned LEB128 of at most 32 bits (5 bytes; the last one uses only 4 value bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadVarUInt32()
    {
        // Fast path: one byte.
        if ((uint)position < (uint)bytes.Length)
        {
            var b = bytes[position];
            if (b < 0x80)
            {
                position++;
                return b;
            }
        }

        return ReadVarUInt32Slow();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private uint ReadVarUInt32Slow()
    {
        var start = position;
        uint result = 0;
        var shift = 0;
        while (true)
        {
            if (position >= bytes.Length)
            {
                position = start;
                Fail(endMessage, baseOffset + bytes.Length);
            }

            var b = bytes[position++];
            if (shift == 28)
            {
                // Binary format §5.2.2: the 5th byte must end the number and carry at most 4 value bits.
                if ((b & 0x80) != 0)
                {
                    var at = baseOffset + position - 1;
                    position = start;
                    Fail("integer representation too long", at);
                }

                if ((b & 0x70) != 0)
                {
                    var at = baseOffset + position - 1;
                    position = start;
                    Fail("integer too large", at);
                }

                return result | ((uint)b << 28);
            }

            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }

            shift += 7;
        }
    }

    /// <summary>Reads a signed LEB128 of at most 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadVarInt32()
    {
        var start = position;
        int result = 0;
        var shift = 0;
        while (true)
        {
            if (position >= bytes.Length)
            {
                position = start;
                Fail(endMessage, baseOffset + bytes.Length);
            }

            var b = bytes[position++];
            if (shift == 28)
            {
                if ((b & 0x80) != 0)
                {
                    var at = baseOffset + position - 1;
                    position = start;
                    Fail("integer representation too long", at);
                }

                // The unused bits (4..6) must all equal the sign bit (bit 3).
                var rest = b & 0x78;
                if (rest != 0 && rest != 0x78)
                {
                    var at = baseOffset + position - 1;
                    position = start;
                    Fail("integer too large", at);
                }

                return result | (b << 28);
            }

            result |= (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                if ((b & 0x40) != 0)
                {
                    result |= -1 << shift;
                }

                return result;
            }
        }
    }

    /// <summary>Reads a signed LEB128 of at most 33 bits (block types); returns it widened.</summary>
    public long ReadVarInt33()
    {
        var start = position;
        long result = 0;
        var shift = 0;
        while (true)
        {
            if (position >= bytes.Length)
            {
                position = start;
                Fail(endMessage, baseOffset + bytes.Length);
            }

            var b = bytes[position++];
            if (shift == 28)
            {
                if ((b & 0x80) != 0)
                {
                    var at = baseOffset + position - 1;
                    position = start;
                    Fail("integer representation too long", at);
                }

                // 33 bits: bits 0..4 of the last byte are value bits, 5..6 must equal the sign bit (bit 4).
                var rest = b & 0x70;
                if (rest != 0 && rest != 0x70)
                {
                    var at = baseOffset + position - 1;
                    position = start;
                    Fail("integer too large", at);
                }

                result |= (long)(b & 0x7F) << 28;
                return (result << 31) >> 31;
            }

            result |= (long)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                if ((b & 0x40) != 0)
                {
                    result |= -1L << shift;
                }

                return result;
            }
        }
    }

    /// <summary>Reads a signed LEB128 of at most 64 bits (10 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long ReadVarInt64()
    {
        var start = position;
        long result = 0;
        var shift = 0;
        while (true)
        {
            if (position >= bytes.Length)
            {
                position = start;
                Fail(endMessage, baseOffset + bytes.Length);
            }

            var b = bytes[position++];
            if (shift == 63)
            {
                if ((b & 0x80) != 0)
                {
                    var at = baseOffset + position - 1;
                    position = start;
                    Fail("integer representation too long", at);
                }

                // Only bit 0 is a value bit; bits 1..6 must equal it (sign extension).
                var rest = b & 0x7F;
                if (rest != 0 && rest != 0x7F)
                {
                    var at = baseOffset + position - 1;
                    position = start;
                    Fail("integer too large", at);
                }

                return result | ((long)b << 63);
            }

            result |= (long)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                if (shift < 64 && (b & 0x40) != 0)
                {
                    result |= -1L << shift;
                }

                return result;
            }
        }
    }

    /// <summary>
    /// Reads a vector element count and checks it against the bytes left (every element takes at least one byte),
    /// so a hostile count never causes a large allocation. Too large: the end-of-section error, as the spec
    /// interpreter would report after reading the available elements.
    /// </summary>
    public int ReadCount()
    {
        var at = Offset;
        var n = ReadVarUInt32();
        if (n > (uint)Remaining)
        {
            position = at - baseOffset;
            Fail(endMessage, baseOffset + bytes.Length);
        }

        return (int)n;
    }

    /// <summary>Reads a byte-length prefix (names, data, sections) and checks it against the bytes left ("length out of bounds").</summary>
    public int ReadLength()
    {
        var at = Offset;
        var n = ReadVarUInt32();
        if (n > (uint)Remaining)
        {
            position = at - baseOffset;
            Fail("length out of bounds", at);
        }

        return (int)n;
    }

    /// <summary>Reads a name: a length-prefixed, strictly well-formed UTF-8 string ("malformed UTF-8 encoding").</summary>
    public string ReadName()
    {
        var start = position;
        var length = ReadLength();
        var utf8 = bytes.Slice(position, length);
        if (!Utf8.IsValid(utf8))
        {
            position = start;
            Fail("malformed UTF-8 encoding", baseOffset + start);
        }

        position += length;
        return Encoding.UTF8.GetString(utf8);
    }

    /// <summary>Reads a value type byte (numeric, vector or reference).</summary>
    public ValueKind ReadValueType()
    {
        var at = Offset;
        var b = ReadByte();
        if (!IsValueType(b))
        {
            position--;
            Fail("malformed value type", at);
        }

        return (ValueKind)b;
    }

    /// <summary>Reads a reference type byte (<c>funcref</c> or <c>externref</c>).</summary>
    public ValueKind ReadReferenceType()
    {
        var at = Offset;
        var b = ReadByte();
        if (b != (byte)ValueKind.FuncRef && b != (byte)ValueKind.ExternRef)
        {
            position--;
            Fail("malformed reference type", at);
        }

        return (ValueKind)b;
    }

    /// <summary>Whether a byte is the code of a value type.</summary>
    public static bool IsValueType(byte b) => b is 0x7F or 0x7E or 0x7D or 0x7C or 0x7B or 0x70 or 0x6F;
}
