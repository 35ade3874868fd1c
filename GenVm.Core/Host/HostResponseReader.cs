using System.Buffers.Binary;
using System.Numerics;
using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <summary>
/// Decodes the fixed-size pieces of host answers (host-protocol.md §2, §4, §5). The stream side
/// (<see cref="HostConnection"/>) reads exactly the octets a piece needs and hands them here.
/// </summary>
internal static class HostResponseReader
{
    /// <summary>The size of the u256 in a <c>get_balance</c> answer.</summary>
    public const int U256Length = 32;

    /// <summary>Maps an error byte to <see cref="HostError"/> (host-protocol.md §4).</summary>
    /// <exception cref="HostProtocolException">The value is not 0..4: internal error <c>invalid error id N</c>.</exception>
    public static HostError ParseError(byte value, HostMethod method)
        => value <= (byte)HostError.OutOfStorageGas
            ? (HostError)value
            : throw new HostProtocolException(HostProtocolErrorKind.InvalidErrorCode, method, $"invalid error id {value}");

    /// <summary>A little-endian u32 (the length of a <c>bytes</c> field).</summary>
    public static uint ReadU32(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt32LittleEndian(source);

    /// <summary>A little-endian u64 (<c>remaining_fuel_as_gen</c>).</summary>
    public static ulong ReadU64(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt64LittleEndian(source);

    /// <summary>A 32-octet little-endian unsigned integer (<c>get_balance</c>).</summary>
    public static BigInteger ReadU256(ReadOnlySpan<byte> source)
        => new(source[..U256Length], isUnsigned: true, isBigEndian: false);
}
