using System.Globalization;
using System.Numerics;
using System.Text;

namespace GenVm.Tests.Core.Calldata;

/// <summary>
/// A deliberately naive, recursive decoder written straight from calldata.md §2–§6 (BigInteger everywhere, no fast
/// paths), used as an oracle for the fuzz test: it must accept and reject exactly what the real decoder does, with the
/// same reason and offset. UTF-8 failures are reported as the reason "utf-8" (their exact text is not normative).
/// Only for small inputs (it recurses).
/// </summary>
internal sealed class ReferenceDecoder
{
    private readonly byte[] _data;
    private int _pos;

    private ReferenceDecoder(byte[] data) => _data = data;

    public static (string? Reason, int Offset) Check(byte[] data)
    {
        var decoder = new ReferenceDecoder(data);
        try
        {
            decoder.Value();
            if (decoder._pos != data.Length)
            {
                return ("input is partially unparsed", decoder._pos);
            }

            return (null, 0);
        }
        catch (Failure f)
        {
            return (f.Reason, f.Offset);
        }
    }

    private sealed class Failure(string reason, int offset) : Exception(reason)
    {
        public string Reason { get; } = reason;

        public int Offset { get; } = offset;
    }

    private BigInteger Uleb()
    {
        var start = _pos;
        var value = BigInteger.Zero;
        var shift = 0;
        while (true)
        {
            if (_pos >= _data.Length)
            {
                throw new Failure("unterminated uleb", start);
            }

            var b = _data[_pos++];
            value |= new BigInteger(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                if (b == 0 && _pos - start > 1)
                {
                    throw new Failure("most significant octet can not be zero", start);
                }

                return value;
            }
        }
    }

    private int Size(BigInteger size, int offset)
    {
        var bits = size.IsZero ? 0 : (long)size.GetBitLength();
        if (bits > 32)
        {
            throw new Failure($"container size is too large {bits}>32", offset);
        }

        return (int)Math.Min((long)size, int.MaxValue);
    }

    private ReadOnlySpan<byte> Take(int length, int offset)
    {
        if (length > _data.Length - _pos)
        {
            throw new Failure("invalid size", offset);
        }

        var span = _data.AsSpan(_pos, length);
        _pos += length;
        return span;
    }

    private static void Utf8(ReadOnlySpan<byte> text, int offset)
    {
        try
        {
            new UTF8Encoding(false, true).GetString(text);
        }
        catch (DecoderFallbackException)
        {
            throw new Failure("utf-8", offset);
        }
    }

    private void Value()
    {
        var start = _pos;
        var h = Uleb();
        var tag = (int)(h & 7);
        var p = h >> 3;
        switch (tag)
        {
            case 0:
                if (!p.IsZero && p.GetBitLength() > 5)
                {
                    throw new Failure("invalid special value " + h.ToString(CultureInfo.InvariantCulture), start);
                }

                switch ((int)p)
                {
                    case 0:
                    case 1:
                    case 2:
                        return;
                    case 3:
                        Take(20, start);
                        return;
                    default:
                        throw new Failure($"invalid special {(byte)h}, full={h}", start);
                }

            case 1:
            case 2:
                return;
            case 3:
                Take(Size(p, start), start);
                return;
            case 4:
                Utf8(Take(Size(p, start), start), start);
                return;
            case 5:
            {
                var count = Size(p, start);
                for (var i = 0; i < count; i++)
                {
                    Value();
                }

                return;
            }

            case 6:
            {
                var count = Size(p, start);
                byte[]? previous = null;
                for (var i = 0; i < count; i++)
                {
                    var keyStart = _pos;
                    var length = Size(Uleb(), keyStart);
                    var key = Take(length, keyStart);
                    Utf8(key, keyStart);
                    if (previous is not null && previous.AsSpan().SequenceCompareTo(key) >= 0)
                    {
                        throw new Failure(
                            $"invalid calldata map ordering old=`{Encoding.UTF8.GetString(previous)}` new=`{Encoding.UTF8.GetString(key)}`",
                            keyStart);
                    }

                    previous = key.ToArray();
                    Value();
                }

                return;
            }

            default:
                throw new Failure("invalid type 7", start);
        }
    }
}
