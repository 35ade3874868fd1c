namespace GenVm.Wasm.Runtime;

/// <summary>
/// Float constants that compiled code loads from memory instead of embedding: RyuJIT folds <c>x - 0.0</c>,
/// <c>x * 1.0</c>, <c>x / 1.0</c> and <c>x * -1.0</c> to <c>x</c> or <c>-x</c>, which is wrong for a signalling NaN
/// operand (the spec requires the arithmetic NaN the real operation produces). These fields are never written; they
/// are not readonly so the JIT cannot treat them as constants.
/// </summary>
internal static class OpaqueConstants
{
#pragma warning disable CA2211, IDE0044 // Deliberately mutable: see the type's summary.
    public static float F32Zero;
    public static float F32NegZero = -0.0f;
    public static float F32One = 1.0f;
    public static float F32NegOne = -1.0f;
    public static double F64Zero;
    public static double F64NegZero = -0.0;
    public static double F64One = 1.0;
    public static double F64NegOne = -1.0;
#pragma warning restore CA2211, IDE0044
}
