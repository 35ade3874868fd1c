using System.Runtime.CompilerServices;

namespace GenVm.Wasm.Runtime.SoftFloat;

/// <summary>
/// binary32 operations with exactly the results of the reference's soft-float module (Berkeley SoftFloat 3e,
/// round-to-nearest-even, default-NaN specialisation; python-sdk.md §20.3), on raw bits. Named after the functions
/// the reference's float rewriter calls (<c>f32_add</c> → <see cref="Add"/>).
/// </summary>
/// <remarks>
/// <para>
/// Hardware binary32 arithmetic is correctly rounded (see <see cref="F64"/> for the argument), so results equal
/// SoftFloat's except for NaNs, which are replaced by <see cref="Specialization.F32DefaultNaN"/>. Conversions from
/// 64-bit integers avoid double rounding (a single hardware int64→float rounding, or the sticky-halving trick for
/// unsigned values); truncations to integers go through the exact widening to double and <see cref="F64"/>'s
/// saturating truncation.
/// </para>
/// <para>
/// Not covered because the reference does not rewrite them (so they trap <c>DeterministicMode</c> in det VMs,
/// wasm-abi.md §10): <c>f32.trunc</c>, <c>f32.nearest</c>, <c>f32.min</c>, <c>f32.max</c>, <c>f32.copysign</c> and
/// the saturating truncations.
/// </para>
/// </remarks>
public static class F32
{
    private const uint SignBit = 0x8000_0000;

    /// <summary><c>f32_add</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Add(uint a, uint b) => Canonical(S(a) + S(b));

    /// <summary><c>f32_sub</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Sub(uint a, uint b) => Canonical(S(a) - S(b));

    /// <summary><c>f32_mul</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mul(uint a, uint b) => Canonical(S(a) * S(b));

    /// <summary><c>f32_div</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Div(uint a, uint b) => Canonical(S(a) / S(b));

    /// <summary><c>f32_sqrt</c> (√−0 = −0, like SoftFloat).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Sqrt(uint a) => Canonical(MathF.Sqrt(S(a)));

    /// <summary><c>f32_eq</c>: 1 when equal (−0 = +0), 0 when not or when either is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Eq(uint a, uint b) => S(a) == S(b) ? 1 : 0;

    /// <summary><c>f32.ne</c> as rewritten: <c>f32_eq</c> xor 1 (1 when either is NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Ne(uint a, uint b) => S(a) == S(b) ? 0 : 1;

    /// <summary><c>f32_lt_quiet</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Lt(uint a, uint b) => S(a) < S(b) ? 1 : 0;

    /// <summary><c>f32_le_quiet</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Le(uint a, uint b) => S(a) <= S(b) ? 1 : 0;

    /// <summary><c>f32_gt_quiet</c> (the reference's extra export: <c>f32_lt_quiet(b, a)</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Gt(uint a, uint b) => S(a) > S(b) ? 1 : 0;

    /// <summary><c>f32_ge_quiet</c> (the reference's extra export: <c>f32_le_quiet(b, a)</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Ge(uint a, uint b) => S(a) >= S(b) ? 1 : 0;

    /// <summary><c>f32.floor</c> as rewritten: <c>f32_roundToInt(a, round_min, exact=false)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Floor(uint a) => Canonical(MathF.Floor(S(a)));

    /// <summary><c>f32.ceil</c> as rewritten: <c>f32_roundToInt(a, round_max, exact=false)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Ceil(uint a) => Canonical(MathF.Ceiling(S(a)));

    /// <summary>
    /// <c>f32_roundToInt(a, roundingMode, exact)</c> with any <see cref="RoundingMode"/>; <paramref name="exact"/> only
    /// raises SoftFloat's inexact flag, which the reference discards.
    /// </summary>
    public static uint RoundToInt(uint a, int roundingMode, bool exact) =>
        Canonical((float)F64.RoundIntegral(S(a), roundingMode));

    /// <summary><c>f32.neg</c> as rewritten: flips the sign bit, NaN payloads included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Neg(uint a) => a ^ SignBit;

    /// <summary><c>f32.abs</c> as rewritten: clears the sign bit, NaN payloads included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Abs(uint a) => a & ~SignBit;

    /// <summary><c>f32_to_f64</c> (<c>f64.promote_f32</c>): exact; NaN → the f64 default NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ToF64(uint a) => F64.Canonical(S(a));

    /// <summary><c>f32_to_i32(a, round_minMag, false)</c> (<c>i32.trunc_f32_s</c>), saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToI32(uint a) => F64.TruncToI32(S(a));

    /// <summary><c>f32_to_ui32(a, round_minMag, false)</c> (<c>i32.trunc_f32_u</c>), saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ToU32(uint a) => F64.TruncToU32(S(a));

    /// <summary><c>f32_to_i64(a, round_minMag, false)</c> (<c>i64.trunc_f32_s</c>), saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ToI64(uint a) => F64.TruncToI64(S(a));

    /// <summary><c>f32_to_ui64(a, round_minMag, false)</c> (<c>i64.trunc_f32_u</c>), saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ToU64(uint a) => F64.TruncToU64(S(a));

    /// <summary><c>f32_to_i32(a, roundingMode, exact)</c> with any <see cref="RoundingMode"/>, saturating.</summary>
    public static int ToI32(uint a, int roundingMode, bool exact) => F64.TruncToI32(F64.RoundIntegral(S(a), roundingMode));

    /// <summary><c>f32_to_ui32(a, roundingMode, exact)</c> with any <see cref="RoundingMode"/>, saturating.</summary>
    public static uint ToU32(uint a, int roundingMode, bool exact) => F64.TruncToU32(F64.RoundIntegral(S(a), roundingMode));

    /// <summary><c>f32_to_i64(a, roundingMode, exact)</c> with any <see cref="RoundingMode"/>, saturating.</summary>
    public static long ToI64(uint a, int roundingMode, bool exact) => F64.TruncToI64(F64.RoundIntegral(S(a), roundingMode));

    /// <summary><c>f32_to_ui64(a, roundingMode, exact)</c> with any <see cref="RoundingMode"/>, saturating.</summary>
    public static ulong ToU64(uint a, int roundingMode, bool exact) =>
        F64.TruncToU64(F64.RoundIntegral(S(a), roundingMode));

    /// <summary><c>i32_to_f32</c> (<c>f32.convert_i32_s</c>): correctly rounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FromI32(int v) => BitConverter.SingleToUInt32Bits((float)v);

    /// <summary><c>ui32_to_f32</c> (<c>f32.convert_i32_u</c>): correctly rounded (one rounding from the exact int64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FromU32(uint v) => BitConverter.SingleToUInt32Bits((float)(long)v);

    /// <summary><c>i64_to_f32</c> (<c>f32.convert_i64_s</c>): correctly rounded (one hardware rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FromI64(long v) => BitConverter.SingleToUInt32Bits((float)v);

    /// <summary><c>ui64_to_f32</c> (<c>f32.convert_i64_u</c>): correctly rounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FromU64(ulong v)
    {
        // As F64.FromU64: halve values from 2^63 with a sticky bit (rounding happens at bit 40, far above bit 1),
        // round once, double exactly.
        var r = (long)v >= 0 ? (float)(long)v : (float)(long)((v >> 1) | (v & 1)) * 2f;
        return BitConverter.SingleToUInt32Bits(r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Canonical(float r) => float.IsNaN(r) ? Specialization.F32DefaultNaN : BitConverter.SingleToUInt32Bits(r);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float S(uint bits) => BitConverter.UInt32BitsToSingle(bits);
}
