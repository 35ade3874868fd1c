namespace GenVm.Core.Calldata;

/// <summary>The type tags: the low 3 bits of every header (calldata.md §3).</summary>
internal static class CalldataTag
{
    public const uint Special = 0;
    public const uint PositiveInt = 1;
    public const uint NegativeInt = 2;
    public const uint Bytes = 3;
    public const uint Str = 4;
    public const uint Array = 5;
    public const uint Map = 6;

    // Tag 7 is invalid (§3).
    public const uint Invalid = 7;

    // SPECIAL headers (§3.1): (P << 3) | 0.
    public const byte NullByte = 0x00;
    public const byte FalseByte = 0x08;
    public const byte TrueByte = 0x10;
    public const byte AddressByte = 0x18;
}
