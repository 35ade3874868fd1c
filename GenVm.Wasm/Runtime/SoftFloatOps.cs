using System.Runtime.CompilerServices;
using GenVm.Wasm.Runtime.SoftFloat;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// The float→int conversions of the <see cref="FloatPolicy.SoftFloat"/> policy, on the CLR types compiled code keeps
/// wasm values in: SoftFloat's <c>fNN_to_iMM/uiMM</c> with <c>round_minMag</c> (python-sdk.md §20.3), exact hardware
/// truncation inside the range and the saturated values outside (as <see cref="F64"/>). The other instructions of the
/// policy need no helper (see <c>FunctionCompiler.SoftFloat.cs</c>).
/// </summary>
internal static class SoftFloatOps
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

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
}
