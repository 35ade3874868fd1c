using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace GenVm.Core.Calldata;

/// <summary>
/// A 20-octet account address, the payload of the calldata SPECIAL value <c>18</c> (calldata.md §3.1).
/// A value type with structural equality; the default value is the all-zero address.
/// </summary>
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    /// <summary>The number of octets in an address (always 20).</summary>
    public const int Length = 20;

    // Stored as big-endian words so that equality is three compares and ordering is octet order.
    private readonly ulong _hi;
    private readonly ulong _mid;
    private readonly uint _lo;

    /// <summary>Creates an address from exactly <see cref="Length"/> octets.</summary>
    /// <exception cref="ArgumentException">The span is not exactly 20 octets long.</exception>
    public Address(ReadOnlySpan<byte> octets)
    {
        if (octets.Length != Length)
        {
            throw new ArgumentException($"an address is exactly {Length} octets, got {octets.Length}", nameof(octets));
        }

        _hi = BinaryPrimitives.ReadUInt64BigEndian(octets);
        _mid = BinaryPrimitives.ReadUInt64BigEndian(octets[8..]);
        _lo = BinaryPrimitives.ReadUInt32BigEndian(octets[16..]);
    }

    /// <summary>The all-zero address.</summary>
    public static Address Zero => default;

    /// <summary>Copies the 20 octets into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than 20 octets.</exception>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"destination needs {Length} octets", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _mid);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _lo);
    }

    /// <summary>Returns a fresh array holding the 20 octets.</summary>
    public byte[] ToArray()
    {
        var result = new byte[Length];
        CopyTo(result);
        return result;
    }

    /// <summary>Returns the 40 lowercase hex digits of the address, without any prefix.</summary>
    public string ToHex()
    {
        Span<byte> octets = stackalloc byte[Length];
        CopyTo(octets);
        return Convert.ToHexStringLower(octets);
    }

    /// <summary>Returns <c>0x</c> followed by the 40 lowercase hex digits.</summary>
    public override string ToString() => "0x" + ToHex();

    /// <summary>
    /// Parses 40 hex digits (either case), optionally prefixed by <c>0x</c> or <c>0X</c>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Address address)
    {
        if (text.Length == 42 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        {
            text = text[2..];
        }

        address = default;
        if (text.Length != 2 * Length)
        {
            return false;
        }

        Span<byte> octets = stackalloc byte[Length];
        if (Convert.FromHexString(text, octets, out _, out var written) != System.Buffers.OperationStatus.Done || written != Length)
        {
            return false;
        }

        address = new Address(octets);
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/> and throws <see cref="FormatException"/> on failure.</summary>
    public static Address Parse(ReadOnlySpan<char> text)
        => TryParse(text, out var address) ? address : throw new FormatException("an address is 40 hex digits, optionally prefixed by 0x");

    /// <inheritdoc/>
    public bool Equals(Address other) => _hi == other._hi && _mid == other._mid && _lo == other._lo;

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Address other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_hi, _mid, _lo);

    /// <summary>Compares octet by octet (unsigned).</summary>
    public int CompareTo(Address other)
    {
        var c = _hi.CompareTo(other._hi);
        if (c != 0)
        {
            return c;
        }

        c = _mid.CompareTo(other._mid);
        return c != 0 ? c : _lo.CompareTo(other._lo);
    }

    /// <summary>Structural equality.</summary>
    public static bool operator ==(Address left, Address right) => left.Equals(right);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    /// <summary>Octet-order comparison.</summary>
    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;

    /// <summary>Octet-order comparison.</summary>
    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;

    /// <summary>Octet-order comparison.</summary>
    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;

    /// <summary>Octet-order comparison.</summary>
    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;
}
