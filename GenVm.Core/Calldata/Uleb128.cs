using System.Numerics;
using System.Runtime.CompilerServices;

namespace GenVm.Core.Calldata;

/// <summary>Unsigned LEB128 of unbounded width, canonical form only (calldata.md §2).</summary>
internal static class Uleb128
{
    /// <summary>Most octets a <see cref="UInt128"/> needs (ceil(128 / 7)).</summary>
    public const int MaxUInt128Length = 19;

    /// <summary>Outcome of <see cref="TryRead"/>.</summary>
    public enum Status : byte
    {
        /// <summary>Canonical, and the value fits in 64 bits.</summary>
        Ok,

        /// <summary>Canonical, but the value needs more than 64 bits (<c>value</c> is then meaningless).</summary>
        Big,

        /// <summary>The input ended before a terminating octet (§2 <c>unterminated uleb</c>).</summary>
        Unterminated,

        /// <summary>The terminating octet is 00 and is not the first (§2 canonicality).</summary>
        NonCanonical,
    }

    /// <summary>The number of octets the canonical encoding of <paramref name="value"/> takes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetByteCount(ulong value) => value < 0x80 ? 1 : (70 - BitOperations.LeadingZeroCount(value)) / 7;

    /// <summary>Writes the canonical encoding; the destination must have room (10 octets always suffice).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<byte> destination, ulong value)
    {
        if (value < 0x80)
        {
            destination[0] = (byte)value;
            return 1;
        }

        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Writes the canonical encoding of a 128-bit value (at most 19 octets).</summary>
    public static int Write(Span<byte> destination, UInt128 value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)((ulong)value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)(ulong)value;
        return i;
    }

    /// <summary>
    /// Reads one ULEB starting at <paramref name="position"/>. On <see cref="Status.Ok"/> and <see cref="Status.Big"/>,
    /// <paramref name="length"/> is the number of octets; <paramref name="value"/> is exact only for Ok.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Status TryRead(ReadOnlySpan<byte> data, int position, out ulong value, out int length)
    {
        if ((uint)position < (uint)data.Length)
        {
            var b = data[position];
            if (b < 0x80)
            {
                value = b;
                length = 1;
                return Status.Ok;
            }
        }

        return TryReadSlow(data, position, out value, out length);
    }

    private static Status TryReadSlow(ReadOnlySpan<byte> data, int position, out ulong value, out int length)
    {
        value = 0;
        var shift = 0;
        var i = position;
        byte b;
        while (true)
        {
            if ((uint)i >= (uint)data.Length)
            {
                length = i - position;
                return Status.Unterminated;
            }

            b = data[i++];
            if (shift < 64)
            {
                value |= (ulong)(b & 0x7F) << shift;
            }

            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
        }

        length = i - position;
        if (b == 0 && length > 1)
        {
            return Status.NonCanonical;
        }

        // Canonical, so the last octet is non-zero: 10 octets carry 63 bits plus the last octet's bits.
        return length > 10 || (length == 10 && b > 1) ? Status.Big : Status.Ok;
    }

    /// <summary>Number of significant bits of a canonical ULEB (0 for the value zero).</summary>
    public static long BitLength(ReadOnlySpan<byte> canonical)
    {
        var last = canonical[^1];
        return ((long)(canonical.Length - 1) * 7) + (32 - BitOperations.LeadingZeroCount((uint)last));
    }

    /// <summary>
    /// Decodes a canonical ULEB of any width into an integer after dropping its <paramref name="dropBits"/> low bits
    /// (3 for a header, whose low bits are the type tag, calldata.md §3).
    /// </summary>
    public static BigInteger ToBigInteger(ReadOnlySpan<byte> canonical, int dropBits)
    {
        var totalBits = ((long)canonical.Length * 7) - dropBits;
        var byteCount = (int)((totalBits + 7) / 8) + 1;
        byte[]? rented = null;
        var buffer = byteCount <= 256 ? stackalloc byte[byteCount] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            ulong acc = 0;
            var accBits = 0;
            var outIndex = 0;
            var skip = dropBits;
            foreach (var octet in canonical)
            {
                var group = (ulong)(octet & 0x7F);
                var groupBits = 7;
                if (skip > 0)
                {
                    var s = Math.Min(skip, 7);
                    group >>= s;
                    groupBits -= s;
                    skip -= s;
                }

                acc |= group << accBits;
                accBits += groupBits;
                while (accBits >= 8)
                {
                    buffer[outIndex++] = (byte)acc;
                    acc >>= 8;
                    accBits -= 8;
                }
            }

            if (accBits > 0)
            {
                buffer[outIndex++] = (byte)acc;
            }

            return new BigInteger(buffer[..outIndex], isUnsigned: true, isBigEndian: false);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
