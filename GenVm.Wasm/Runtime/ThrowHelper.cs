using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// Trap construction kept out of line so compiled code stays small: emitted IL does
/// <c>ldc.i4 code; call Create; throw</c>, which the JIT moves to a cold block.
/// </summary>
internal static class ThrowHelper
{
    /// <summary>Creates the trap exception for <paramref name="code"/> (emitted code throws it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Create(int code) => new WasmTrapException((TrapCode)code);

    /// <summary>Throws a trap.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(TrapCode code) => throw new WasmTrapException(code);

    /// <summary>Throws a trap (for generic helper methods that must look like they return a value).</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Throw<T>(TrapCode code) => throw new WasmTrapException(code);

    /// <summary>
    /// Returns the float with the given bits. Kept out of line so the JIT never folds a NaN constant (it would
    /// widen it to double and quiet a signalling NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float F32FromBits(int bits) => BitConverter.Int32BitsToSingle(bits);

    /// <summary>Same as <see cref="F32FromBits"/> for f64.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double F64FromBits(long bits) => BitConverter.Int64BitsToDouble(bits);
}
