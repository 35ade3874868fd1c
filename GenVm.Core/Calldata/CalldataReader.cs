using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace GenVm.Core.Calldata;

/// <summary>
/// Strict decoder over a span (calldata.md §2–§6): accepts only canonical encodings, so decode then encode gives back
/// the input. Every read peeks first and advances only on success, so after a <see cref="CalldataFormatException"/>
/// <see cref="Position"/> is unchanged. Declared lengths are checked against the remaining octets before anything is
/// allocated, and nesting is decoded with an explicit stack, so depth is bounded only by memory.
/// Whole values: <see cref="ReadValue"/> / <see cref="SkipValue"/>. Piecewise: the typed scalar reads,
/// <see cref="ReadStartArray"/>, and <see cref="ReadStartMap"/> with <see cref="ReadMapKey"/> (which enforces canonical
/// key order through a <see cref="CalldataMapCursor"/>).
/// </summary>
public ref partial struct CalldataReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Creates a reader over <paramref name="data"/>.</summary>
    public CalldataReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Octets consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Octets not yet consumed.</summary>
    public readonly int BytesRemaining => _data.Length - _position;

    /// <summary>Returns the kind of the next value without consuming anything.</summary>
    /// <exception cref="CalldataFormatException">The next header is malformed.</exception>
    public readonly CalldataKind PeekKind()
    {
        var header = ReadHeader(_position);
        return header.Tag switch
        {
            CalldataTag.Special => header.Payload switch
            {
                0 => CalldataKind.Null,
                1 or 2 => CalldataKind.Bool,
                _ => CalldataKind.Address,
            },
            CalldataTag.PositiveInt or CalldataTag.NegativeInt => CalldataKind.Number,
            CalldataTag.Bytes => CalldataKind.Bytes,
            CalldataTag.Str => CalldataKind.Str,
            CalldataTag.Array => CalldataKind.Array,
            _ => CalldataKind.Map,
        };
    }

    /// <summary>Reads one complete value.</summary>
    /// <exception cref="CalldataFormatException">The octets are not a canonical value; the position is unchanged.</exception>
    public CalldataValue ReadValue()
    {
        var end = Walk(_position, build: true, out var value);
        _position = end;
        return value!;
    }

    /// <summary>Validates and skips one complete value without building it.</summary>
    /// <exception cref="CalldataFormatException">The octets are not a canonical value; the position is unchanged.</exception>
    public void SkipValue() => _position = Walk(_position, build: false, out _);

    /// <summary>Fails with <c>input is partially unparsed</c> (calldata.md §6) unless every octet was consumed.</summary>
    /// <exception cref="CalldataFormatException">Octets remain.</exception>
    public readonly void ReadEnd()
    {
        if (_position != _data.Length)
        {
            throw Error("input is partially unparsed", _position);
        }
    }

    /// <summary>Reads null.</summary>
    /// <exception cref="CalldataFormatException">Malformed, or another kind (position unchanged).</exception>
    public void ReadNull()
    {
        var h = ReadHeader(_position);
        if (h.Tag != CalldataTag.Special || h.Payload != 0)
        {
            throw Error("expected null", _position);
        }

        _position += h.Length;
    }

    /// <summary>Reads a boolean.</summary>
    /// <exception cref="CalldataFormatException">Malformed, or another kind (position unchanged).</exception>
    public bool ReadBool()
    {
        var h = ReadHeader(_position);
        if (h.Tag != CalldataTag.Special || h.Payload is not (1 or 2))
        {
            throw Error("expected bool", _position);
        }

        _position += h.Length;
        return h.Payload == 2;
    }

    /// <summary>Reads a number.</summary>
    /// <exception cref="CalldataFormatException">Malformed, or another kind (position unchanged).</exception>
    public BigInteger ReadNumber()
    {
        var h = ReadHeader(_position);
        if (h.Tag is not (CalldataTag.PositiveInt or CalldataTag.NegativeInt))
        {
            throw Error("expected number", _position);
        }

        var value = NumberOf(h, _position);
        _position += h.Length;
        return value;
    }

    /// <summary>Reads an octet string without copying it.</summary>
    /// <exception cref="CalldataFormatException">Malformed, or another kind (position unchanged).</exception>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var h = ReadHeader(_position);
        if (h.Tag != CalldataTag.Bytes)
        {
            throw Error("expected bytes", _position);
        }

        var body = SizedBody(h, _position);
        _position += h.Length + body.Length;
        return body;
    }

    /// <summary>Reads a string as its validated UTF-8 octets, without copying.</summary>
    /// <exception cref="CalldataFormatException">Malformed, or another kind (position unchanged).</exception>
    public ReadOnlySpan<byte> ReadUtf8String()
    {
        var h = ReadHeader(_position);
        if (h.Tag != CalldataTag.Str)
        {
            throw Error("expected string", _position);
        }

        var body = SizedBody(h, _position);
        CheckUtf8(body, _position + h.Length);
        _position += h.Length + body.Length;
        return body;
    }

    /// <summary>Reads a string.</summary>
    /// <exception cref="CalldataFormatException">Malformed, or another kind (position unchanged).</exception>
    public string ReadString() => Encoding.UTF8.GetString(ReadUtf8String());

    /// <summary>Reads an address.</summary>
    /// <exception cref="CalldataFormatException">Malformed, or another kind (position unchanged).</exception>
    public Address ReadAddress()
    {
        var h = ReadHeader(_position);
        if (h.Tag != CalldataTag.Special || h.Payload != 3)
        {
            throw Error("expected address", _position);
        }

        var body = AddressBody(_position + h.Length, _position);
        _position += h.Length + Address.Length;
        return new Address(body);
    }

    /// <summary>
    /// Reads an array header and returns the element count; read the elements next with any read method.
    /// The count is not checked against the remaining input: reading past the end fails there.
    /// </summary>
    /// <exception cref="CalldataFormatException">Malformed, or another kind (position unchanged).</exception>
    public int ReadStartArray()
    {
        var h = ReadHeader(_position);
        if (h.Tag != CalldataTag.Array)
        {
            throw Error("expected array", _position);
        }

        _position += h.Length;
        return (int)Math.Min(h.Payload, int.MaxValue);
    }

    /// <summary>
    /// Reads a map header; then read <see cref="CalldataMapCursor.Count"/> times a key with
    /// <see cref="ReadMapKey"/> (or <see cref="ReadUtf8MapKey"/>) followed by its value.
    /// </summary>
    /// <exception cref="CalldataFormatException">Malformed, or another kind (position unchanged).</exception>
    public CalldataMapCursor ReadStartMap()
    {
        var h = ReadHeader(_position);
        if (h.Tag != CalldataTag.Map)
        {
            throw Error("expected map", _position);
        }

        _position += h.Length;
        return new CalldataMapCursor((int)Math.Min(h.Payload, int.MaxValue));
    }

    /// <summary>Reads the next key of <paramref name="map"/> as validated UTF-8, checking canonical order (calldata.md §5).</summary>
    /// <exception cref="CalldataFormatException">Malformed or out of order (position unchanged).</exception>
    /// <exception cref="InvalidOperationException">All keys of the map were already read.</exception>
    public ReadOnlySpan<byte> ReadUtf8MapKey(ref CalldataMapCursor map)
    {
        if (map.Remaining <= 0)
        {
            throw new InvalidOperationException("all keys of this map were already read");
        }

        var keyStart = _position;
        var status = Uleb128.TryRead(_data, keyStart, out var length, out var ulebLength);
        ThrowIfBadUleb(status, keyStart);
        var bits = Uleb128.BitLength(_data.Slice(keyStart, ulebLength));
        if (bits > 32)
        {
            throw Error($"container size is too large {bits}>32", keyStart);
        }

        var bodyStart = keyStart + ulebLength;
        if (length > (ulong)(_data.Length - bodyStart))
        {
            throw Error("invalid size", keyStart);
        }

        var key = _data.Slice(bodyStart, (int)length);
        CheckUtf8(key, keyStart);
        if (map.TryGetPrevious(out var prevStart, out var prevLength))
        {
            var prev = _data.Slice(prevStart, prevLength);
            if (prev.SequenceCompareTo(key) >= 0)
            {
                throw Error(
                    $"invalid calldata map ordering old=`{Encoding.UTF8.GetString(prev)}` new=`{Encoding.UTF8.GetString(key)}`",
                    keyStart);
            }
        }

        map.Advance(bodyStart, key.Length);
        _position = bodyStart + key.Length;
        return key;
    }

    /// <summary>Reads the next key of <paramref name="map"/>, checking canonical order (calldata.md §5).</summary>
    /// <exception cref="CalldataFormatException">Malformed or out of order (position unchanged).</exception>
    /// <exception cref="InvalidOperationException">All keys of the map were already read.</exception>
    public string ReadMapKey(ref CalldataMapCursor map) => Encoding.UTF8.GetString(ReadUtf8MapKey(ref map));

    /// <summary>A decoded header word (calldata.md §3). Only well-formed headers are ever returned.</summary>
    private readonly struct Header
    {
        public Header(uint tag, ulong payload, int length, bool big, long payloadBits)
        {
            Tag = tag;
            Payload = payload;
            Length = length;
            Big = big;
            PayloadBits = payloadBits;
        }

        public uint Tag { get; }

        // P = H >> 3, exact unless Big.
        public ulong Payload { get; }

        public int Length { get; }

        // P needs more than 61 bits (only numbers may be that large).
        public bool Big { get; }

        // Significant bits of P.
        public long PayloadBits { get; }
    }

    // Reads and fully checks a header: ULEB rules (§2), tag 7 (§3), SPECIAL (§3.1) and the 32-bit size limit (§4).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly Header ReadHeader(int position)
    {
        if ((uint)position < (uint)_data.Length)
        {
            var b = _data[position];
            if (b < 0x80)
            {
                // One-octet header: tag and a payload of at most 4 bits; only tag 7 and specials can be wrong.
                var tag = (uint)b & 7;
                var payload = (ulong)(b >> 3);
                if (tag == CalldataTag.Invalid || (tag == CalldataTag.Special && payload > 3))
                {
                    return ReadHeaderSlow(position);
                }

                return new Header(tag, payload, 1, big: false, payloadBits: 64 - BitOperations.LeadingZeroCount(payload));
            }
        }

        return ReadHeaderSlow(position);
    }

    private readonly Header ReadHeaderSlow(int position)
    {
        var status = Uleb128.TryRead(_data, position, out var h, out var length);
        ThrowIfBadUleb(status, position);
        var uleb = _data.Slice(position, length);
        var tag = (uint)(uleb[0] & 7);
        var bigH = status == Uleb128.Status.Big;
        var bitsH = Uleb128.BitLength(uleb);
        var payloadBits = Math.Max(0, bitsH - 3);
        switch (tag)
        {
            case CalldataTag.Invalid:
                throw Error("invalid type 7", position);
            case CalldataTag.Special:
            {
                // calldata.md §3.1: P wider than 5 bits -> "invalid special value H", else the H fits an octet.
                if (payloadBits > 5)
                {
                    throw Error("invalid special value " + FormatHeader(uleb, bigH, h), position);
                }

                var payload = h >> 3;
                if (payload > 3)
                {
                    throw Error($"invalid special {(byte)h}, full={h}", position);
                }

                return new Header(tag, payload, length, big: false, payloadBits);
            }

            case CalldataTag.PositiveInt or CalldataTag.NegativeInt:
                return new Header(tag, h >> 3, length, bigH, payloadBits);
            default:
                // calldata.md §4: BYTES/STR/ARR/MAP sizes must fit in 32 bits.
                if (payloadBits > 32)
                {
                    throw Error($"container size is too large {payloadBits}>32", position);
                }

                return new Header(tag, h >> 3, length, big: false, payloadBits);
        }
    }

    private static string FormatHeader(ReadOnlySpan<byte> uleb, bool big, ulong h)
    {
        if (!big)
        {
            return h.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // UNKNOWN: the reference prints the whole integer; decimal formatting of a huge hostile value is quadratic,
        // so past 4096 bits we name its size instead (docs/decisions.md, "calldata: huge header in error text").
        if (Uleb128.BitLength(uleb) > 4096)
        {
            return $"<{Uleb128.BitLength(uleb)}-bit integer>";
        }

        return Uleb128.ToBigInteger(uleb, 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private readonly BigInteger NumberOf(in Header h, int position)
    {
        BigInteger magnitude = h.Big ? Uleb128.ToBigInteger(_data.Slice(position, h.Length), 3) : new BigInteger(h.Payload);

        // calldata.md §3.2: NINT carries -(value) - 1.
        return h.Tag == CalldataTag.PositiveInt ? magnitude : -magnitude - BigInteger.One;
    }

    // The octets of a BYTES/STR value, length-checked against the input before anything else (§4 "invalid size").
    private readonly ReadOnlySpan<byte> SizedBody(scoped in Header h, int position)
    {
        var start = position + h.Length;
        if (h.Payload > (ulong)(_data.Length - start))
        {
            throw Error("invalid size", position);
        }

        return _data.Slice(start, (int)h.Payload);
    }

    private readonly ReadOnlySpan<byte> AddressBody(int start, int position)
    {
        if (_data.Length - start < Address.Length)
        {
            throw Error("invalid size", position);
        }

        return _data.Slice(start, Address.Length);
    }

    private static void CheckUtf8(ReadOnlySpan<byte> text, int position)
    {
        if (!CalldataUtf8.IsValid(text))
        {
            throw Error(CalldataUtf8.DescribeError(text) ?? "invalid utf-8", position);
        }
    }

    private static void ThrowIfBadUleb(Uleb128.Status status, int position)
    {
        switch (status)
        {
            case Uleb128.Status.Unterminated:
                throw Error("unterminated uleb", position);
            case Uleb128.Status.NonCanonical:
                throw Error("most significant octet can not be zero", position);
        }
    }

    private static CalldataFormatException Error(string reason, int position) => new(reason, position);
}
