using System.Runtime.CompilerServices;
using GenVm.Wasm.Runtime.SoftFloat;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// The float instructions of the <see cref="FloatPolicy.SoftFloat"/> policy, on the CLR types compiled code keeps
/// wasm values in. Each gives exactly the result of the soft-float function the reference's rewriter calls
/// (python-sdk.md §20.3), as <see cref="F32"/> and <see cref="F64"/> do on raw bits: a correctly rounded hardware
/// operation with every NaN result replaced by the default NaN, or a range-checked conversion with SoftFloat's
/// saturated values. All are inlined into the compiled function, so the common path is the bare hardware instruction
/// plus one NaN test.
/// </summary>
internal static class SoftFloatOps
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    private static float NaN32
    {
        [MethodImpl(Inline)]
        get => BitConverter.UInt32BitsToSingle(Specialization.F32DefaultNaN);
    }

    private static double NaN64
    {
        [MethodImpl(Inline)]
        get => BitConverter.UInt64BitsToDouble(Specialization.F64DefaultNaN);
    }

    // ----- f32 arithmetic (f32_add/sub/mul/div/sqrt, f32_roundToInt) -----

    [MethodImpl(Inline)]
    public static float F32Add(float a, float b) => C(a + b);

    [MethodImpl(Inline)]
    public static float F32Sub(float a, float b) => C(a - b);

    [MethodImpl(Inline)]
    public static float F32Mul(float a, float b) => C(a * b);

    [MethodImpl(Inline)]
    public static float F32Div(float a, float b) => C(a / b);

    [MethodImpl(Inline)]
    public static float F32Sqrt(float a) => C(MathF.Sqrt(a));

    [MethodImpl(Inline)]
    public static float F32Floor(float a) => C(MathF.Floor(a));

    [MethodImpl(Inline)]
    public static float F32Ceil(float a) => C(MathF.Ceiling(a));

    // Not rewritten by the reference: our decision (docs/decisions.md) is the wasm result with NaN canonicalised.
    [MethodImpl(Inline)]
    public static float F32Trunc(float a) => C(MathF.Truncate(a));

    [MethodImpl(Inline)]
    public static float F32Nearest(float a) => C(MathF.Round(a, MidpointRounding.ToEven));

    [MethodImpl(Inline)]
    public static float F32Min(float a, float b) => C(WasmMath.F32Min(a, b));

    [MethodImpl(Inline)]
    public static float F32Max(float a, float b) => C(WasmMath.F32Max(a, b));

    // ----- f64 arithmetic -----

    [MethodImpl(Inline)]
    public static double F64Add(double a, double b) => C(a + b);

    [MethodImpl(Inline)]
    public static double F64Sub(double a, double b) => C(a - b);

    [MethodImpl(Inline)]
    public static double F64Mul(double a, double b) => C(a * b);

    [MethodImpl(Inline)]
    public static double F64Div(double a, double b) => C(a / b);

    [MethodImpl(Inline)]
    public static double F64Sqrt(double a) => C(Math.Sqrt(a));

    [MethodImpl(Inline)]
    public static double F64Floor(double a) => C(Math.Floor(a));

    [MethodImpl(Inline)]
    public static double F64Ceil(double a) => C(Math.Ceiling(a));

    [MethodImpl(Inline)]
    public static double F64Trunc(double a) => C(Math.Truncate(a));

    [MethodImpl(Inline)]
    public static double F64Nearest(double a) => C(Math.Round(a, MidpointRounding.ToEven));

    [MethodImpl(Inline)]
    public static double F64Min(double a, double b) => C(WasmMath.F64Min(a, b));

    [MethodImpl(Inline)]
    public static double F64Max(double a, double b) => C(WasmMath.F64Max(a, b));

    // ----- float <-> float (f32_to_f64, f64_to_f32) -----

    [MethodImpl(Inline)]
    public static double F64PromoteF32(float a) => C((double)a);

    [MethodImpl(Inline)]
    public static float F32DemoteF64(double a) => C((float)a);

    // ----- int -> float (i32_to_f32 ... ui64_to_f64): correctly rounded, never NaN -----

    [MethodImpl(Inline)]
    public static float F32ConvertI32S(int a) => BitConverter.UInt32BitsToSingle(F32.FromI32(a));

    [MethodImpl(Inline)]
    public static float F32ConvertI32U(int a) => BitConverter.UInt32BitsToSingle(F32.FromU32((uint)a));

    [MethodImpl(Inline)]
    public static float F32ConvertI64S(long a) => BitConverter.UInt32BitsToSingle(F32.FromI64(a));

    [MethodImpl(Inline)]
    public static float F32ConvertI64U(long a) => BitConverter.UInt32BitsToSingle(F32.FromU64((ulong)a));

    [MethodImpl(Inline)]
    public static double F64ConvertI32S(int a) => BitConverter.UInt64BitsToDouble(F64.FromI32(a));

    [MethodImpl(Inline)]
    public static double F64ConvertI32U(int a) => BitConverter.UInt64BitsToDouble(F64.FromU32((uint)a));

    [MethodImpl(Inline)]
    public static double F64ConvertI64S(long a) => BitConverter.UInt64BitsToDouble(F64.FromI64(a));

    [MethodImpl(Inline)]
    public static double F64ConvertI64U(long a) => BitConverter.UInt64BitsToDouble(F64.FromU64((ulong)a));

    // ----- float -> int (fNN_to_iMM/uiMM with round_minMag): saturating, never trapping -----

    [MethodImpl(Inline)]
    public static int I32TruncF32S(float a) => F64.TruncToI32(a);

    [MethodImpl(Inline)]
    public static int I32TruncF32U(float a) => (int)F64.TruncToU32(a);

    [MethodImpl(Inline)]
    public static int I32TruncF64S(double a) => F64.TruncToI32(a);

    [MethodImpl(Inline)]
    public static int I32TruncF64U(double a) => (int)F64.TruncToU32(a);

    [MethodImpl(Inline)]
    public static long I64TruncF32S(float a) => F64.TruncToI64(a);

    [MethodImpl(Inline)]
    public static long I64TruncF32U(float a) => (long)F64.TruncToU64(a);

    [MethodImpl(Inline)]
    public static long I64TruncF64S(double a) => F64.TruncToI64(a);

    [MethodImpl(Inline)]
    public static long I64TruncF64U(double a) => (long)F64.TruncToU64(a);

    [MethodImpl(Inline)]
    private static float C(float r) => float.IsNaN(r) ? NaN32 : r;

    [MethodImpl(Inline)]
    private static double C(double r) => double.IsNaN(r) ? NaN64 : r;
}
