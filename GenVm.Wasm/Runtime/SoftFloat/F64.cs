using System.Runtime.CompilerServices;

namespace GenVm.Wasm.Runtime.SoftFloat;

/// <summary>
/// binary64 operations with exactly the results of the reference's soft-float module (Berkeley SoftFloat 3e,
/// round-to-nearest-even, default-NaN specialisation; python-sdk.md §20.3), on raw bits so no payload is lost on the
/// way in. Named after the functions the reference's float rewriter calls (<c>f64_add</c> → <see cref="Add"/>).
/// </summary>
/// <remarks>
/// <para>
/// Why hardware is used: .NET evaluates <see cref="double"/> arithmetic in IEEE 754 binary64 with round-to-nearest-even
/// and gradual underflow (SSE2 on x64, the FPU on Arm64; no x87 extended precision, no flush-to-zero, no contraction
/// into FMA). IEEE 754 requires add, sub, mul, div and sqrt to be correctly rounded, as SoftFloat is, and both follow the
/// same signed-zero rules; integer→float conversions (cvtsi2sd/scvtf) are correctly rounded too, and floor/ceil
/// (roundsd/frintm/frintp or the C runtime) are exact. So the only difference to SoftFloat is the NaN produced, which
/// these methods replace by <see cref="Specialization.F64DefaultNaN"/>. Where hardware has no single matching
/// instruction (unsigned 64-bit sources, saturating truncation) the method reduces the case to ones that are exact.
/// The MPFR-generated vectors in <c>GenVm.Tests/Wasm/Runtime/SoftFloat</c> check every method bit for bit.
/// </para>
/// <para>
/// Not covered because the reference does not rewrite them (so they trap <c>DeterministicMode</c> in det VMs,
/// wasm-abi.md §10): <c>f64.trunc</c>, <c>f64.nearest</c>, <c>f64.min</c>, <c>f64.max</c>, <c>f64.copysign</c> and
/// the saturating truncations.
/// </para>
/// </remarks>
public static class F64
{
    private const ulong SignBit = 0x8000_0000_0000_0000;

    /// <summary><c>f64_add</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong a, ulong b) => Canonical(D(a) + D(b));

    /// <summary><c>f64_sub</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sub(ulong a, ulong b) => Canonical(D(a) - D(b));

    /// <summary><c>f64_mul</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mul(ulong a, ulong b) => Canonical(D(a) * D(b));

    /// <summary><c>f64_div</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div(ulong a, ulong b) => Canonical(D(a) / D(b));

    /// <summary><c>f64_sqrt</c> (√−0 = −0, like SoftFloat).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sqrt(ulong a) => Canonical(Math.Sqrt(D(a)));

    /// <summary><c>f64_eq</c>: 1 when equal (−0 = +0), 0 when not or when either is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Eq(ulong a, ulong b) => D(a) == D(b) ? 1 : 0;

    /// <summary><c>f64.ne</c> as rewritten: <c>f64_eq</c> xor 1 (1 when either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Ne(ulong a, ulong b) => D(a) == D(b) ? 0 : 1;

    /// <summary><c>f64_lt_quiet</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Lt(ulong a, ulong b) => D(a) < D(b) ? 1 : 0;

    /// <summary><c>f64_le_quiet</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Le(ulong a, ulong b) => D(a) <= D(b) ? 1 : 0;

    /// <summary><c>f64_gt_quiet</c> (the reference's extra export: <c>f64_lt_quiet(b, a)</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Gt(ulong a, ulong b) => D(a) > D(b) ? 1 : 0;

    /// <summary><c>f64_ge_quiet</c> (the reference's extra export: <c>f64_le_quiet(b, a)</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Ge(ulong a, ulong b) => D(a) >= D(b) ? 1 : 0;

    /// <summary><c>f64.floor</c> as rewritten: <c>f64_roundToInt(a, round_min, exact=false)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Floor(ulong a) => Canonical(Math.Floor(D(a)));

    /// <summary><c>f64.ceil</c> as rewritten: <c>f64_roundToInt(a, round_max, exact=false)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Ceil(ulong a) => Canonical(Math.Ceiling(D(a)));

    /// <summary>
    /// <c>f64_roundToInt(a, roundingMode, exact)</c> with any <see cref="RoundingMode"/>; <paramref name="exact"/> only
    /// raises SoftFloat's inexact flag, which the reference discards.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong RoundToInt(ulong a, int roundingMode, bool exact) => Canonical(RoundIntegral(D(a), roundingMode));

    /// <summary><c>f64.neg</c> as rewritten: flips the sign bit, NaN payloads included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Neg(ulong a) => a ^ SignBit;

    /// <summary><c>f64.abs</c> as rewritten: clears the sign bit, NaN payloads included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Abs(ulong a) => a & ~SignBit;

    /// <summary><c>f64_to_f32</c> (<c>f32.demote_f64</c>): correctly rounded; NaN → the f32 default NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ToF32(ulong a) => F32.Canonical((float)D(a));

    /// <summary><c>f64_to_i32(a, round_minMag, false)</c> (<c>i32.trunc_f64_s</c>), saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToI32(ulong a) => TruncToI32(D(a));

    /// <summary><c>f64_to_ui32(a, round_minMag, false)</c> (<c>i32.trunc_f64_u</c>), saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ToU32(ulong a) => TruncToU32(D(a));

    /// <summary><c>f64_to_i64(a, round_minMag, false)</c> (<c>i64.trunc_f64_s</c>), saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ToI64(ulong a) => TruncToI64(D(a));

    /// <summary><c>f64_to_ui64(a, round_minMag, false)</c> (<c>i64.trunc_f64_u</c>), saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ToU64(ulong a) => TruncToU64(D(a));

    /// <summary><c>f64_to_i32(a, roundingMode, exact)</c> with any <see cref="RoundingMode"/>, saturating.</summary>
    public static int ToI32(ulong a, int roundingMode, bool exact) => TruncToI32(RoundIntegral(D(a), roundingMode));

    /// <summary><c>f64_to_ui32(a, roundingMode, exact)</c> with any <see cref="RoundingMode"/>, saturating.</summary>
    public static uint ToU32(ulong a, int roundingMode, bool exact) => TruncToU32(RoundIntegral(D(a), roundingMode));

    /// <summary><c>f64_to_i64(a, roundingMode, exact)</c> with any <see cref="RoundingMode"/>, saturating.</summary>
    public static long ToI64(ulong a, int roundingMode, bool exact) => TruncToI64(RoundIntegral(D(a), roundingMode));

    /// <summary><c>f64_to_ui64(a, roundingMode, exact)</c> with any <see cref="RoundingMode"/>, saturating.</summary>
    public static ulong ToU64(ulong a, int roundingMode, bool exact) => TruncToU64(RoundIntegral(D(a), roundingMode));

    /// <summary><c>i32_to_f64</c> (<c>f64.convert_i32_s</c>): exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FromI32(int v) => BitConverter.DoubleToUInt64Bits((double)v);

    /// <summary><c>ui32_to_f64</c> (<c>f64.convert_i32_u</c>): exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FromU32(uint v) => BitConverter.DoubleToUInt64Bits((double)v);

    /// <summary><c>i64_to_f64</c> (<c>f64.convert_i64_s</c>): correctly rounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FromI64(long v) => BitConverter.DoubleToUInt64Bits((double)v);

    /// <summary><c>ui64_to_f64</c> (<c>f64.convert_i64_u</c>): correctly rounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FromU64(ulong v)
    {
        // Values from 2^63 are halved into the signed range with the dropped bit kept as a sticky bit: v has 64
        // significant bits and rounds at bit 11, so ORing bit 0 into bit 1 changes neither the round bit nor whether
        // any lower bit is set; doubling the rounded half is exact. (Avoids relying on the JIT's unsigned helper.)
        var r = (long)v >= 0 ? (double)(long)v : (double)(long)((v >> 1) | (v & 1)) * 2.0;
        return BitConverter.DoubleToUInt64Bits(r);
    }

    // Rounds to an integral value in the given mode. The result of rounding any double (or float, widened exactly) to
    // an integer is representable in its format, so this is exact; SoftFloat's integer conversions round the same way
    // before their range check, which the Trunc* helpers below then do on the already integral value.
    internal static double RoundIntegral(double d, int roundingMode) => roundingMode switch
    {
        RoundingMode.NearEven => Math.Round(d, MidpointRounding.ToEven),
        RoundingMode.Min => Math.Floor(d),
        RoundingMode.Max => Math.Ceiling(d),
        RoundingMode.NearMaxMag => Math.Round(d, MidpointRounding.AwayFromZero),
        _ => Math.Truncate(d), // minMag, and any mode this SoftFloat build does not know
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Canonical(double r) => double.IsNaN(r) ? Specialization.F64DefaultNaN : BitConverter.DoubleToUInt64Bits(r);

    // The truncations below follow SoftFloat's roundToI32/UI32/I64/UI64 with round_minMag: the value is truncated
    // toward zero, and only when the truncated integer does not fit (or the input is NaN) the specialised value is
    // returned. In range, hardware truncation (cvttsd2si / fcvtzs) is exact. Every f32 is exactly a double, so F32 uses
    // these too. The bounds are the first out-of-range doubles: anything strictly between truncates into range.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int TruncToI32(double d) =>
        d > -2147483649.0 && d < 2147483648.0 ? (int)d
        : d < 0 ? Specialization.I32FromNegOverflow
        : Specialization.I32FromPosOverflow; // NaN lands here too: i32_fromNaN equals i32_fromPosOverflow.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint TruncToU32(double d) =>
        d > -1.0 && d < 4294967296.0 ? (uint)(long)d
        : d < 0 ? Specialization.U32FromNegOverflow
        : Specialization.U32FromPosOverflow; // ui32_fromNaN equals ui32_fromPosOverflow.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long TruncToI64(double d) =>
        d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? (long)d
        : d < 0 ? Specialization.I64FromNegOverflow
        : Specialization.I64FromPosOverflow; // i64_fromNaN equals i64_fromPosOverflow.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong TruncToU64(double d)
    {
        if (d > -1.0 && d < 18446744073709551616.0)
        {
            // Below 2^63 the signed truncation is exact; from 2^63 on d is an integer (its ulp is at least 2^11), so
            // subtracting 2^63 is exact and brings it into the signed range.
            return d < 9223372036854775808.0 ? (ulong)(long)d : (ulong)(long)(d - 9223372036854775808.0) | SignBit;
        }

        return d < 0 ? Specialization.U64FromNegOverflow : Specialization.U64FromPosOverflow; // ui64_fromNaN = pos.
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);
}
