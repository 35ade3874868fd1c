using System.Runtime.CompilerServices;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// Numeric instructions whose WebAssembly semantics differ from the CLR's (traps, NaN handling, unsigned
/// conversions). Small and inlined into compiled code; trap paths call <see cref="ThrowHelper"/>.
/// </summary>
internal static class WasmMath
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    // Integer division: the spec traps on zero and on signed overflow; rem_s(MIN, -1) is 0 (the CLR would throw).
    [MethodImpl(Inline)]
    public static int I32DivS(int a, int b)
    {
        if (b == 0) ThrowHelper.Throw(TrapCode.IntegerDivisionByZero);
        if (b == -1 && a == int.MinValue) ThrowHelper.Throw(TrapCode.IntegerOverflow);
        return a / b;
    }

    [MethodImpl(Inline)]
    public static int I32DivU(int a, int b)
    {
        if (b == 0) ThrowHelper.Throw(TrapCode.IntegerDivisionByZero);
        return (int)((uint)a / (uint)b);
    }

    [MethodImpl(Inline)]
    public static int I32RemS(int a, int b)
    {
        if (b == 0) ThrowHelper.Throw(TrapCode.IntegerDivisionByZero);
        return b == -1 ? 0 : a % b;
    }

    [MethodImpl(Inline)]
    public static int I32RemU(int a, int b)
    {
        if (b == 0) ThrowHelper.Throw(TrapCode.IntegerDivisionByZero);
        return (int)((uint)a % (uint)b);
    }

    [MethodImpl(Inline)]
    public static long I64DivS(long a, long b)
    {
        if (b == 0) ThrowHelper.Throw(TrapCode.IntegerDivisionByZero);
        if (b == -1 && a == long.MinValue) ThrowHelper.Throw(TrapCode.IntegerOverflow);
        return a / b;
    }

    [MethodImpl(Inline)]
    public static long I64DivU(long a, long b)
    {
        if (b == 0) ThrowHelper.Throw(TrapCode.IntegerDivisionByZero);
        return (long)((ulong)a / (ulong)b);
    }

    [MethodImpl(Inline)]
    public static long I64RemS(long a, long b)
    {
        if (b == 0) ThrowHelper.Throw(TrapCode.IntegerDivisionByZero);
        return b == -1 ? 0 : a % b;
    }

    [MethodImpl(Inline)]
    public static long I64RemU(long a, long b)
    {
        if (b == 0) ThrowHelper.Throw(TrapCode.IntegerDivisionByZero);
        return (long)((ulong)a % (ulong)b);
    }

    // min/max: NaN if either operand is NaN (quieted, so the result is an arithmetic NaN), and -0 < +0.
    [MethodImpl(Inline)]
    public static float F32Min(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.SingleToInt32Bits(a) < 0 ? a : b;
        return a < b ? a : b;
    }

    [MethodImpl(Inline)]
    public static float F32Max(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.SingleToInt32Bits(a) < 0 ? b : a;
        return a > b ? a : b;
    }

    [MethodImpl(Inline)]
    public static double F64Min(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.DoubleToInt64Bits(a) < 0 ? a : b;
        return a < b ? a : b;
    }

    [MethodImpl(Inline)]
    public static double F64Max(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.DoubleToInt64Bits(a) < 0 ? b : a;
        return a > b ? a : b;
    }

    // abs/neg/copysign only touch the sign bit, NaN payloads included.
    [MethodImpl(Inline)]
    public static float F32Abs(float a) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & int.MaxValue);

    [MethodImpl(Inline)]
    public static float F32Neg(float a) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) ^ int.MinValue);

    [MethodImpl(Inline)]
    public static float F32CopySign(float a, float b) => BitConverter.Int32BitsToSingle(
        (BitConverter.SingleToInt32Bits(a) & int.MaxValue) | (BitConverter.SingleToInt32Bits(b) & int.MinValue));

    [MethodImpl(Inline)]
    public static double F64Abs(double a) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & long.MaxValue);

    [MethodImpl(Inline)]
    public static double F64Neg(double a) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) ^ long.MinValue);

    [MethodImpl(Inline)]
    public static double F64CopySign(double a, double b) => BitConverter.Int64BitsToDouble(
        (BitConverter.DoubleToInt64Bits(a) & long.MaxValue) | (BitConverter.DoubleToInt64Bits(b) & long.MinValue));

    // Rounding: NaN in, arithmetic NaN out (a + a quiets a signalling NaN).
    [MethodImpl(Inline)]
    public static float F32Ceil(float a) => float.IsNaN(a) ? a + a : MathF.Ceiling(a);

    [MethodImpl(Inline)]
    public static float F32Floor(float a) => float.IsNaN(a) ? a + a : MathF.Floor(a);

    [MethodImpl(Inline)]
    public static float F32Trunc(float a) => float.IsNaN(a) ? a + a : MathF.Truncate(a);

    [MethodImpl(Inline)]
    public static float F32Nearest(float a) => float.IsNaN(a) ? a + a : MathF.Round(a, MidpointRounding.ToEven);

    [MethodImpl(Inline)]
    public static float F32Sqrt(float a) => MathF.Sqrt(a);

    [MethodImpl(Inline)]
    public static double F64Ceil(double a) => double.IsNaN(a) ? a + a : Math.Ceiling(a);

    [MethodImpl(Inline)]
    public static double F64Floor(double a) => double.IsNaN(a) ? a + a : Math.Floor(a);

    [MethodImpl(Inline)]
    public static double F64Trunc(double a) => double.IsNaN(a) ? a + a : Math.Truncate(a);

    [MethodImpl(Inline)]
    public static double F64Nearest(double a) => double.IsNaN(a) ? a + a : Math.Round(a, MidpointRounding.ToEven);

    [MethodImpl(Inline)]
    public static double F64Sqrt(double a) => Math.Sqrt(a);

    // Trapping float->int conversions: NaN is "invalid conversion to integer", out of range "integer overflow".
    [MethodImpl(Inline)]
    public static int I32TruncF32S(float a)
    {
        if (!(a >= -2147483648f && a < 2147483648f)) ThrowConversion(float.IsNaN(a));
        return (int)a;
    }

    [MethodImpl(Inline)]
    public static int I32TruncF32U(float a)
    {
        if (!(a > -1f && a < 4294967296f)) ThrowConversion(float.IsNaN(a));
        return (int)(uint)a;
    }

    [MethodImpl(Inline)]
    public static int I32TruncF64S(double a)
    {
        if (!(a > -2147483649.0 && a < 2147483648.0)) ThrowConversion(double.IsNaN(a));
        return (int)a;
    }

    [MethodImpl(Inline)]
    public static int I32TruncF64U(double a)
    {
        if (!(a > -1.0 && a < 4294967296.0)) ThrowConversion(double.IsNaN(a));
        return (int)(uint)a;
    }

    [MethodImpl(Inline)]
    public static long I64TruncF32S(float a)
    {
        if (!(a >= -9223372036854775808f && a < 9223372036854775808f)) ThrowConversion(float.IsNaN(a));
        return (long)a;
    }

    [MethodImpl(Inline)]
    public static long I64TruncF32U(float a)
    {
        if (!(a > -1f && a < 18446744073709551616f)) ThrowConversion(float.IsNaN(a));
        return (long)(ulong)a;
    }

    [MethodImpl(Inline)]
    public static long I64TruncF64S(double a)
    {
        if (!(a >= -9223372036854775808.0 && a < 9223372036854775808.0)) ThrowConversion(double.IsNaN(a));
        return (long)a;
    }

    [MethodImpl(Inline)]
    public static long I64TruncF64U(double a)
    {
        if (!(a > -1.0 && a < 18446744073709551616.0)) ThrowConversion(double.IsNaN(a));
        return (long)(ulong)a;
    }

    // Saturating conversions: NaN is 0, out of range clamps.
    [MethodImpl(Inline)]
    public static int I32TruncSatF32S(float a) =>
        float.IsNaN(a) ? 0 : a < -2147483648f ? int.MinValue : a >= 2147483648f ? int.MaxValue : (int)a;

    [MethodImpl(Inline)]
    public static int I32TruncSatF32U(float a) =>
        !(a > -1f) ? 0 : a >= 4294967296f ? -1 : (int)(uint)a;

    [MethodImpl(Inline)]
    public static int I32TruncSatF64S(double a) =>
        double.IsNaN(a) ? 0 : a <= -2147483649.0 ? int.MinValue : a >= 2147483648.0 ? int.MaxValue : (int)a;

    [MethodImpl(Inline)]
    public static int I32TruncSatF64U(double a) =>
        !(a > -1.0) ? 0 : a >= 4294967296.0 ? -1 : (int)(uint)a;

    [MethodImpl(Inline)]
    public static long I64TruncSatF32S(float a) =>
        float.IsNaN(a) ? 0 : a < -9223372036854775808f ? long.MinValue : a >= 9223372036854775808f ? long.MaxValue : (long)a;

    [MethodImpl(Inline)]
    public static long I64TruncSatF32U(float a) =>
        !(a > -1f) ? 0 : a >= 18446744073709551616f ? -1L : (long)(ulong)a;

    [MethodImpl(Inline)]
    public static long I64TruncSatF64S(double a) =>
        double.IsNaN(a) ? 0 : a < -9223372036854775808.0 ? long.MinValue : a >= 9223372036854775808.0 ? long.MaxValue : (long)a;

    [MethodImpl(Inline)]
    public static long I64TruncSatF64U(double a) =>
        !(a > -1.0) ? 0 : a >= 18446744073709551616.0 ? -1L : (long)(ulong)a;

    // Unsigned 64-bit to float with a single rounding (u64 -> f64 -> f32 would round twice).
    [MethodImpl(Inline)]
    public static float F32ConvertI64U(long a)
    {
        if (a >= 0) return a;
        var halved = (long)(((ulong)a >> 1) | ((ulong)a & 1));
        return (float)halved * 2f;
    }

    [MethodImpl(Inline)]
    public static double F64ConvertI64U(long a)
    {
        if (a >= 0) return a;
        var halved = (long)(((ulong)a >> 1) | ((ulong)a & 1));
        return (double)halved * 2.0;
    }

    [MethodImpl(Inline)]
    public static float F32ConvertI32U(int a) => (float)(long)(uint)a;

    [MethodImpl(Inline)]
    public static double F64ConvertI32U(int a) => (uint)a;

    // The NaN branch keeps the JIT from folding demote(promote(x)) to x, which would keep a signalling NaN.
    [MethodImpl(Inline)]
    public static double F64PromoteF32(float a) => float.IsNaN(a) ? (double)(a + a) : a;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowConversion(bool nan) =>
        throw new WasmTrapException(nan ? TrapCode.BadConversionToInteger : TrapCode.IntegerOverflow);
}
