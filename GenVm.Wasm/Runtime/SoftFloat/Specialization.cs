namespace GenVm.Wasm.Runtime.SoftFloat;

/// <summary>
/// The constants of the reference's SoftFloat 3e specialisation (python-sdk.md §20.3): the default NaNs every
/// NaN-producing operation returns, and the values float→integer conversions return when the truncated value does not
/// fit (out of range, infinite or NaN). Recorded in docs/decisions.md (D-softfloat).
/// </summary>
public static class Specialization
{
    /// <summary>The binary32 NaN every NaN-producing f32 operation returns (positive, quiet, no payload).</summary>
    public const uint F32DefaultNaN = 0x7FC0_0000;

    /// <summary>The binary64 NaN every NaN-producing f64 operation returns (positive, quiet, no payload).</summary>
    public const ulong F64DefaultNaN = 0x7FF8_0000_0000_0000;

    /// <summary><c>i32_fromNaN</c>: INT32_MAX.</summary>
    public const int I32FromNaN = int.MaxValue;

    /// <summary><c>i32_fromPosOverflow</c>: INT32_MAX.</summary>
    public const int I32FromPosOverflow = int.MaxValue;

    /// <summary><c>i32_fromNegOverflow</c>: INT32_MIN.</summary>
    public const int I32FromNegOverflow = int.MinValue;

    /// <summary><c>ui32_fromNaN</c>: 0xFFFFFFFF.</summary>
    public const uint U32FromNaN = uint.MaxValue;

    /// <summary><c>ui32_fromPosOverflow</c>: 0xFFFFFFFF.</summary>
    public const uint U32FromPosOverflow = uint.MaxValue;

    /// <summary><c>ui32_fromNegOverflow</c>: 0 (also for -1.0 and below; (-1, 0] truncates to 0 normally).</summary>
    public const uint U32FromNegOverflow = 0;

    /// <summary><c>i64_fromNaN</c>: INT64_MAX.</summary>
    public const long I64FromNaN = long.MaxValue;

    /// <summary><c>i64_fromPosOverflow</c>: INT64_MAX.</summary>
    public const long I64FromPosOverflow = long.MaxValue;

    /// <summary><c>i64_fromNegOverflow</c>: INT64_MIN.</summary>
    public const long I64FromNegOverflow = long.MinValue;

    /// <summary><c>ui64_fromNaN</c>: 0xFFFFFFFFFFFFFFFF.</summary>
    public const ulong U64FromNaN = ulong.MaxValue;

    /// <summary><c>ui64_fromPosOverflow</c>: 0xFFFFFFFFFFFFFFFF.</summary>
    public const ulong U64FromPosOverflow = ulong.MaxValue;

    /// <summary><c>ui64_fromNegOverflow</c>: 0.</summary>
    public const ulong U64FromNegOverflow = 0;
}
