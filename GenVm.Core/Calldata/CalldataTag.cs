using Protocol = GenVm.Core.Protocol;

namespace GenVm.Core.Calldata;

/// <summary>
/// The type tags (the low 3 bits of every header, calldata.md §3) and the SPECIAL bytes (§3.1) as the codec's
/// integer constants. The values come from the generated <see cref="Protocol.CalldataTag"/> and
/// <see cref="Protocol.CalldataSpecial"/> (protocol/constants.json), so no tag is typed twice.
/// </summary>
internal static class CalldataTag
{
    public const uint Special = (uint)Protocol.CalldataTag.Special;
    public const uint PositiveInt = (uint)Protocol.CalldataTag.Pint;
    public const uint NegativeInt = (uint)Protocol.CalldataTag.Nint;
    public const uint Bytes = (uint)Protocol.CalldataTag.Bytes;
    public const uint Str = (uint)Protocol.CalldataTag.Str;
    public const uint Array = (uint)Protocol.CalldataTag.Arr;
    public const uint Map = (uint)Protocol.CalldataTag.Map;

    // The one value three bits can hold that is no tag: decoding fails `invalid type 7` (§3).
    public const uint Invalid = Map + 1;

    public const byte NullByte = (byte)Protocol.CalldataSpecial.Null;
    public const byte FalseByte = (byte)Protocol.CalldataSpecial.False;
    public const byte TrueByte = (byte)Protocol.CalldataSpecial.True;
    public const byte AddressByte = (byte)Protocol.CalldataSpecial.Address;
}
