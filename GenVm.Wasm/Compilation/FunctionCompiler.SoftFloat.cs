using System.Reflection;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Runtime;

namespace GenVm.Wasm.Compilation;

/// <summary>The <see cref="FloatPolicy.SoftFloat"/> policy: float instructions as the reference's soft-float rewrite computes them.</summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// Emits <paramref name="op"/> with soft-float semantics (python-sdk.md §20.3), or returns false when the native
    /// code already gives exactly the soft-float result: the six comparisons (quiet in both, NaN unordered),
    /// <c>neg</c>/<c>abs</c>/<c>copysign</c> (sign-bit operations in both) and the saturating truncations (not part of
    /// the §10 list; rejected at load by the default feature set).
    /// </summary>
    private bool TryEmitSoftFloat(Opcode op)
    {
        switch (op)
        {
            case Opcode.F32Add: SoftBinary(F32, nameof(SoftFloatOps.F32Add)); return true;
            case Opcode.F32Sub: SoftBinary(F32, nameof(SoftFloatOps.F32Sub)); return true;
            case Opcode.F32Mul: SoftBinary(F32, nameof(SoftFloatOps.F32Mul)); return true;
            case Opcode.F32Div: SoftBinary(F32, nameof(SoftFloatOps.F32Div)); return true;
            case Opcode.F32Min: SoftBinary(F32, nameof(SoftFloatOps.F32Min)); return true;
            case Opcode.F32Max: SoftBinary(F32, nameof(SoftFloatOps.F32Max)); return true;
            case Opcode.F32Sqrt: SoftUnary(F32, nameof(SoftFloatOps.F32Sqrt)); return true;
            case Opcode.F32Floor: SoftUnary(F32, nameof(SoftFloatOps.F32Floor)); return true;
            case Opcode.F32Ceil: SoftUnary(F32, nameof(SoftFloatOps.F32Ceil)); return true;
            case Opcode.F32Trunc: SoftUnary(F32, nameof(SoftFloatOps.F32Trunc)); return true;
            case Opcode.F32Nearest: SoftUnary(F32, nameof(SoftFloatOps.F32Nearest)); return true;
            case Opcode.F32Neg: UnaryCall(F32, F32, nameof(WasmMath.F32Neg)); return true;

            case Opcode.F64Add: SoftBinary(F64, nameof(SoftFloatOps.F64Add)); return true;
            case Opcode.F64Sub: SoftBinary(F64, nameof(SoftFloatOps.F64Sub)); return true;
            case Opcode.F64Mul: SoftBinary(F64, nameof(SoftFloatOps.F64Mul)); return true;
            case Opcode.F64Div: SoftBinary(F64, nameof(SoftFloatOps.F64Div)); return true;
            case Opcode.F64Min: SoftBinary(F64, nameof(SoftFloatOps.F64Min)); return true;
            case Opcode.F64Max: SoftBinary(F64, nameof(SoftFloatOps.F64Max)); return true;
            case Opcode.F64Sqrt: SoftUnary(F64, nameof(SoftFloatOps.F64Sqrt)); return true;
            case Opcode.F64Floor: SoftUnary(F64, nameof(SoftFloatOps.F64Floor)); return true;
            case Opcode.F64Ceil: SoftUnary(F64, nameof(SoftFloatOps.F64Ceil)); return true;
            case Opcode.F64Trunc: SoftUnary(F64, nameof(SoftFloatOps.F64Trunc)); return true;
            case Opcode.F64Nearest: SoftUnary(F64, nameof(SoftFloatOps.F64Nearest)); return true;
            case Opcode.F64Neg: UnaryCall(F64, F64, nameof(WasmMath.F64Neg)); return true;

            case Opcode.F32DemoteF64: SoftConvert(F64, F32, nameof(SoftFloatOps.F32DemoteF64)); return true;
            case Opcode.F64PromoteF32: SoftConvert(F32, F64, nameof(SoftFloatOps.F64PromoteF32)); return true;
            case Opcode.F32ConvertI32S: SoftConvert(I32, F32, nameof(SoftFloatOps.F32ConvertI32S)); return true;
            case Opcode.F32ConvertI32U: SoftConvert(I32, F32, nameof(SoftFloatOps.F32ConvertI32U)); return true;
            case Opcode.F32ConvertI64S: SoftConvert(I64, F32, nameof(SoftFloatOps.F32ConvertI64S)); return true;
            case Opcode.F32ConvertI64U: SoftConvert(I64, F32, nameof(SoftFloatOps.F32ConvertI64U)); return true;
            case Opcode.F64ConvertI32S: SoftConvert(I32, F64, nameof(SoftFloatOps.F64ConvertI32S)); return true;
            case Opcode.F64ConvertI32U: SoftConvert(I32, F64, nameof(SoftFloatOps.F64ConvertI32U)); return true;
            case Opcode.F64ConvertI64S: SoftConvert(I64, F64, nameof(SoftFloatOps.F64ConvertI64S)); return true;
            case Opcode.F64ConvertI64U: SoftConvert(I64, F64, nameof(SoftFloatOps.F64ConvertI64U)); return true;
            case Opcode.I32TruncF32S: SoftConvert(F32, I32, nameof(SoftFloatOps.I32TruncF32S)); return true;
            case Opcode.I32TruncF32U: SoftConvert(F32, I32, nameof(SoftFloatOps.I32TruncF32U)); return true;
            case Opcode.I32TruncF64S: SoftConvert(F64, I32, nameof(SoftFloatOps.I32TruncF64S)); return true;
            case Opcode.I32TruncF64U: SoftConvert(F64, I32, nameof(SoftFloatOps.I32TruncF64U)); return true;
            case Opcode.I64TruncF32S: SoftConvert(F32, I64, nameof(SoftFloatOps.I64TruncF32S)); return true;
            case Opcode.I64TruncF32U: SoftConvert(F32, I64, nameof(SoftFloatOps.I64TruncF32U)); return true;
            case Opcode.I64TruncF64S: SoftConvert(F64, I64, nameof(SoftFloatOps.I64TruncF64S)); return true;
            case Opcode.I64TruncF64U: SoftConvert(F64, I64, nameof(SoftFloatOps.I64TruncF64U)); return true;
            default:
                return false;
        }
    }

    private static MethodInfo SoftHelper(string name) => Members.SoftFloatHelper(name);

    private void SoftUnary(ValueKind kind, string helper) => UnaryCall(kind, kind, SoftHelper(helper));

    private void SoftBinary(ValueKind kind, string helper) => BinaryCall(kind, kind, SoftHelper(helper));

    private void SoftConvert(ValueKind input, ValueKind output, string helper) => UnaryCall(input, output, SoftHelper(helper));
}
