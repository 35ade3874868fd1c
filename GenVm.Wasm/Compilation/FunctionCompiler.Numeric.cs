using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Runtime;

namespace GenVm.Wasm.Compilation;

/// <summary>Constants, comparisons, arithmetic and conversions.</summary>
internal sealed partial class FunctionCompiler
{
    private const ValueKind I32 = ValueKind.I32;
    private const ValueKind I64 = ValueKind.I64;
    private const ValueKind F32 = ValueKind.F32;
    private const ValueKind F64 = ValueKind.F64;

    /// <summary>The float instructions a deterministic engine traps on (wasm-abi.md §10).</summary>
    private static bool IsNonDeterministicFloat(Opcode op) =>
        op is (>= Opcode.F32Eq and <= Opcode.F64Ge)
            or (>= Opcode.F32Abs and <= Opcode.F64Copysign)
            or Opcode.I32TruncF32S or Opcode.I32TruncF32U or Opcode.I32TruncF64S or Opcode.I32TruncF64U
            or Opcode.I64TruncF32S or Opcode.I64TruncF32U or Opcode.I64TruncF64S or Opcode.I64TruncF64U
            or (>= Opcode.F32ConvertI32S and <= Opcode.F64PromoteF32)
            or (>= Opcode.I32TruncSatF32S and <= Opcode.I64TruncSatF64U);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryEmitNumeric(Opcode op, ref CodeReader reader)
    {
        var il = _il;
        var policy = _module.Engine.Config.FloatPolicy;
        if (policy != FloatPolicy.Native && IsNonDeterministicFloat(op))
        {
            if (policy == FloatPolicy.SoftFloat)
            {
                if (TryEmitSoftFloat(op))
                {
                    return true;
                }
            }
            else
            {
                // Code before the instruction ran normally; the instruction itself traps (the rest of the block is dead).
                EmitTrap(TrapCode.DeterministicMode);
                MarkUnreachable(_frames[^1]);
                return true;
            }
        }

        switch (op)
        {
            case Opcode.I32Const:
                il.Emit(OpCodes.Ldc_I4, reader.ReadS32());
                Push(I32);
                return true;
            case Opcode.I64Const:
                il.Emit(OpCodes.Ldc_I8, reader.ReadS64());
                Push(I64);
                return true;
            case Opcode.F32Const:
            {
                var bits = reader.ReadFixed32();
                var value = BitConverter.Int32BitsToSingle(bits);
                if (float.IsNaN(value))
                {
                    // The JIT keeps float constants as doubles, which would quiet a signalling NaN.
                    il.Emit(OpCodes.Ldc_I4, bits);
                    EmitHelperCall(Members.F32FromBits);
                }
                else if (Members.OpaqueF32(bits) is { } field)
                {
                    EmitField(OpCodes.Ldsfld, field);
                }
                else
                {
                    il.Emit(OpCodes.Ldc_R4, value);
                }

                Push(F32);
                return true;
            }

            case Opcode.F64Const:
            {
                var bits = reader.ReadFixed64();
                var value = BitConverter.Int64BitsToDouble(bits);
                if (double.IsNaN(value))
                {
                    il.Emit(OpCodes.Ldc_I8, bits);
                    EmitHelperCall(Members.F64FromBits);
                }
                else if (Members.OpaqueF64(bits) is { } field)
                {
                    EmitField(OpCodes.Ldsfld, field);
                }
                else
                {
                    il.Emit(OpCodes.Ldc_R8, value);
                }

                Push(F64);
                return true;
            }

            case Opcode.I32Eqz:
                Unary(I32, I32, OpCodes.Ldc_I4_0, OpCodes.Ceq);
                return true;
            case Opcode.I64Eqz:
                Materialize(1);
                Pop();
                il.Emit(OpCodes.Ldc_I8, 0L);
                il.Emit(OpCodes.Ceq);
                Push(I32);
                return true;

            case Opcode.I32Eq: Binary(I32, I32, OpCodes.Ceq); return true;
            case Opcode.I32Ne: Binary(I32, I32, OpCodes.Ceq, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32LtS: Binary(I32, I32, OpCodes.Clt); return true;
            case Opcode.I32LtU: Binary(I32, I32, OpCodes.Clt_Un); return true;
            case Opcode.I32GtS: Binary(I32, I32, OpCodes.Cgt); return true;
            case Opcode.I32GtU: Binary(I32, I32, OpCodes.Cgt_Un); return true;
            case Opcode.I32LeS: Binary(I32, I32, OpCodes.Cgt, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32LeU: Binary(I32, I32, OpCodes.Cgt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32GeS: Binary(I32, I32, OpCodes.Clt, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32GeU: Binary(I32, I32, OpCodes.Clt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;

            case Opcode.I64Eq: Binary(I64, I32, OpCodes.Ceq); return true;
            case Opcode.I64Ne: Binary(I64, I32, OpCodes.Ceq, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I64LtS: Binary(I64, I32, OpCodes.Clt); return true;
            case Opcode.I64LtU: Binary(I64, I32, OpCodes.Clt_Un); return true;
            case Opcode.I64GtS: Binary(I64, I32, OpCodes.Cgt); return true;
            case Opcode.I64GtU: Binary(I64, I32, OpCodes.Cgt_Un); return true;
            case Opcode.I64LeS: Binary(I64, I32, OpCodes.Cgt, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I64LeU: Binary(I64, I32, OpCodes.Cgt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I64GeS: Binary(I64, I32, OpCodes.Clt, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I64GeU: Binary(I64, I32, OpCodes.Clt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;

            // Float comparisons: the "unordered" forms make le/ge false on NaN, ne true.
            case Opcode.F32Eq: Binary(F32, I32, OpCodes.Ceq); return true;
            case Opcode.F32Ne: Binary(F32, I32, OpCodes.Ceq, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.F32Lt: Binary(F32, I32, OpCodes.Clt); return true;
            case Opcode.F32Gt: Binary(F32, I32, OpCodes.Cgt); return true;
            case Opcode.F32Le: Binary(F32, I32, OpCodes.Cgt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.F32Ge: Binary(F32, I32, OpCodes.Clt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.F64Eq: Binary(F64, I32, OpCodes.Ceq); return true;
            case Opcode.F64Ne: Binary(F64, I32, OpCodes.Ceq, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.F64Lt: Binary(F64, I32, OpCodes.Clt); return true;
            case Opcode.F64Gt: Binary(F64, I32, OpCodes.Cgt); return true;
            case Opcode.F64Le: Binary(F64, I32, OpCodes.Cgt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.F64Ge: Binary(F64, I32, OpCodes.Clt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;

            case Opcode.I32Clz: UnaryCall(I32, I32, Members.Clz32); return true;
            case Opcode.I32Ctz: UnaryCall(I32, I32, Members.Ctz32); return true;
            case Opcode.I32Popcnt: UnaryCall(I32, I32, Members.Popcnt32); return true;
            case Opcode.I32Add: Binary(I32, I32, OpCodes.Add); return true;
            case Opcode.I32Sub: Binary(I32, I32, OpCodes.Sub); return true;
            case Opcode.I32Mul: Binary(I32, I32, OpCodes.Mul); return true;
            case Opcode.I32DivS: BinaryCall(I32, I32, nameof(WasmMath.I32DivS)); return true;
            case Opcode.I32DivU: BinaryCall(I32, I32, nameof(WasmMath.I32DivU)); return true;
            case Opcode.I32RemS: BinaryCall(I32, I32, nameof(WasmMath.I32RemS)); return true;
            case Opcode.I32RemU: BinaryCall(I32, I32, nameof(WasmMath.I32RemU)); return true;
            case Opcode.I32And: Binary(I32, I32, OpCodes.And); return true;
            case Opcode.I32Or: Binary(I32, I32, OpCodes.Or); return true;
            case Opcode.I32Xor: Binary(I32, I32, OpCodes.Xor); return true;
            case Opcode.I32Shl: Shift32(OpCodes.Shl); return true;
            case Opcode.I32ShrS: Shift32(OpCodes.Shr); return true;
            case Opcode.I32ShrU: Shift32(OpCodes.Shr_Un); return true;
            case Opcode.I32Rotl: BinaryCall(I32, I32, Members.Rotl32); return true;
            case Opcode.I32Rotr: BinaryCall(I32, I32, Members.Rotr32); return true;

            case Opcode.I64Clz: UnaryCall(I64, I64, Members.Clz64, OpCodes.Conv_I8); return true;
            case Opcode.I64Ctz: UnaryCall(I64, I64, Members.Ctz64, OpCodes.Conv_I8); return true;
            case Opcode.I64Popcnt: UnaryCall(I64, I64, Members.Popcnt64, OpCodes.Conv_I8); return true;
            case Opcode.I64Add: Binary(I64, I64, OpCodes.Add); return true;
            case Opcode.I64Sub: Binary(I64, I64, OpCodes.Sub); return true;
            case Opcode.I64Mul: Binary(I64, I64, OpCodes.Mul); return true;
            case Opcode.I64DivS: BinaryCall(I64, I64, nameof(WasmMath.I64DivS)); return true;
            case Opcode.I64DivU: BinaryCall(I64, I64, nameof(WasmMath.I64DivU)); return true;
            case Opcode.I64RemS: BinaryCall(I64, I64, nameof(WasmMath.I64RemS)); return true;
            case Opcode.I64RemU: BinaryCall(I64, I64, nameof(WasmMath.I64RemU)); return true;
            case Opcode.I64And: Binary(I64, I64, OpCodes.And); return true;
            case Opcode.I64Or: Binary(I64, I64, OpCodes.Or); return true;
            case Opcode.I64Xor: Binary(I64, I64, OpCodes.Xor); return true;
            case Opcode.I64Shl: Shift64(OpCodes.Shl, null); return true;
            case Opcode.I64ShrS: Shift64(OpCodes.Shr, null); return true;
            case Opcode.I64ShrU: Shift64(OpCodes.Shr_Un, null); return true;
            case Opcode.I64Rotl: Shift64(default, Members.Rotl64); return true;
            case Opcode.I64Rotr: Shift64(default, Members.Rotr64); return true;

            case Opcode.F32Abs: UnaryCall(F32, F32, nameof(WasmMath.F32Abs)); return true;
            case Opcode.F32Neg: Unary(F32, F32, OpCodes.Neg); return true;
            case Opcode.F32Ceil: UnaryCall(F32, F32, nameof(WasmMath.F32Ceil)); return true;
            case Opcode.F32Floor: UnaryCall(F32, F32, nameof(WasmMath.F32Floor)); return true;
            case Opcode.F32Trunc: UnaryCall(F32, F32, nameof(WasmMath.F32Trunc)); return true;
            case Opcode.F32Nearest: UnaryCall(F32, F32, nameof(WasmMath.F32Nearest)); return true;
            case Opcode.F32Sqrt: UnaryCall(F32, F32, nameof(WasmMath.F32Sqrt)); return true;
            case Opcode.F32Add: Binary(F32, F32, OpCodes.Add); return true;
            case Opcode.F32Sub: Binary(F32, F32, OpCodes.Sub); return true;
            case Opcode.F32Mul: Binary(F32, F32, OpCodes.Mul); return true;
            case Opcode.F32Div: Binary(F32, F32, OpCodes.Div); return true;
            case Opcode.F32Min: BinaryCall(F32, F32, nameof(WasmMath.F32Min)); return true;
            case Opcode.F32Max: BinaryCall(F32, F32, nameof(WasmMath.F32Max)); return true;
            case Opcode.F32Copysign: BinaryCall(F32, F32, nameof(WasmMath.F32CopySign)); return true;

            case Opcode.F64Abs: UnaryCall(F64, F64, nameof(WasmMath.F64Abs)); return true;
            case Opcode.F64Neg: Unary(F64, F64, OpCodes.Neg); return true;
            case Opcode.F64Ceil: UnaryCall(F64, F64, nameof(WasmMath.F64Ceil)); return true;
            case Opcode.F64Floor: UnaryCall(F64, F64, nameof(WasmMath.F64Floor)); return true;
            case Opcode.F64Trunc: UnaryCall(F64, F64, nameof(WasmMath.F64Trunc)); return true;
            case Opcode.F64Nearest: UnaryCall(F64, F64, nameof(WasmMath.F64Nearest)); return true;
            case Opcode.F64Sqrt: UnaryCall(F64, F64, nameof(WasmMath.F64Sqrt)); return true;
            case Opcode.F64Add: Binary(F64, F64, OpCodes.Add); return true;
            case Opcode.F64Sub: Binary(F64, F64, OpCodes.Sub); return true;
            case Opcode.F64Mul: Binary(F64, F64, OpCodes.Mul); return true;
            case Opcode.F64Div: Binary(F64, F64, OpCodes.Div); return true;
            case Opcode.F64Min: BinaryCall(F64, F64, nameof(WasmMath.F64Min)); return true;
            case Opcode.F64Max: BinaryCall(F64, F64, nameof(WasmMath.F64Max)); return true;
            case Opcode.F64Copysign: BinaryCall(F64, F64, nameof(WasmMath.F64CopySign)); return true;

            case Opcode.I32WrapI64: Unary(I64, I32, OpCodes.Conv_I4); return true;
            case Opcode.I32TruncF32S: UnaryCall(F32, I32, nameof(WasmMath.I32TruncF32S)); return true;
            case Opcode.I32TruncF32U: UnaryCall(F32, I32, nameof(WasmMath.I32TruncF32U)); return true;
            case Opcode.I32TruncF64S: UnaryCall(F64, I32, nameof(WasmMath.I32TruncF64S)); return true;
            case Opcode.I32TruncF64U: UnaryCall(F64, I32, nameof(WasmMath.I32TruncF64U)); return true;
            case Opcode.I64ExtendI32S: Unary(I32, I64, OpCodes.Conv_I8); return true;
            case Opcode.I64ExtendI32U: Unary(I32, I64, OpCodes.Conv_U8); return true;
            case Opcode.I64TruncF32S: UnaryCall(F32, I64, nameof(WasmMath.I64TruncF32S)); return true;
            case Opcode.I64TruncF32U: UnaryCall(F32, I64, nameof(WasmMath.I64TruncF32U)); return true;
            case Opcode.I64TruncF64S: UnaryCall(F64, I64, nameof(WasmMath.I64TruncF64S)); return true;
            case Opcode.I64TruncF64U: UnaryCall(F64, I64, nameof(WasmMath.I64TruncF64U)); return true;
            case Opcode.F32ConvertI32S: Unary(I32, F32, OpCodes.Conv_R4); return true;
            case Opcode.F32ConvertI32U: UnaryCall(I32, F32, nameof(WasmMath.F32ConvertI32U)); return true;
            case Opcode.F32ConvertI64S: Unary(I64, F32, OpCodes.Conv_R4); return true;
            case Opcode.F32ConvertI64U: UnaryCall(I64, F32, nameof(WasmMath.F32ConvertI64U)); return true;
            case Opcode.F32DemoteF64: Unary(F64, F32, OpCodes.Conv_R4); return true;
            case Opcode.F64ConvertI32S: Unary(I32, F64, OpCodes.Conv_R8); return true;
            case Opcode.F64ConvertI32U: UnaryCall(I32, F64, nameof(WasmMath.F64ConvertI32U)); return true;
            case Opcode.F64ConvertI64S: Unary(I64, F64, OpCodes.Conv_R8); return true;
            case Opcode.F64ConvertI64U: UnaryCall(I64, F64, nameof(WasmMath.F64ConvertI64U)); return true;
            case Opcode.F64PromoteF32: UnaryCall(F32, F64, nameof(WasmMath.F64PromoteF32)); return true;
            case Opcode.I32ReinterpretF32: UnaryCall(F32, I32, Members.SingleToInt32Bits); return true;
            case Opcode.I64ReinterpretF64: UnaryCall(F64, I64, Members.DoubleToInt64Bits); return true;
            case Opcode.F32ReinterpretI32: UnaryCall(I32, F32, Members.Int32BitsToSingle); return true;
            case Opcode.F64ReinterpretI64: UnaryCall(I64, F64, Members.Int64BitsToDouble); return true;
            case Opcode.I32Extend8S: Unary(I32, I32, OpCodes.Conv_I1); return true;
            case Opcode.I32Extend16S: Unary(I32, I32, OpCodes.Conv_I2); return true;
            case Opcode.I64Extend8S: Unary(I64, I64, OpCodes.Conv_I1, OpCodes.Conv_I8); return true;
            case Opcode.I64Extend16S: Unary(I64, I64, OpCodes.Conv_I2, OpCodes.Conv_I8); return true;
            case Opcode.I64Extend32S: Unary(I64, I64, OpCodes.Conv_I4, OpCodes.Conv_I8); return true;

            case Opcode.I32TruncSatF32S: UnaryCall(F32, I32, nameof(WasmMath.I32TruncSatF32S)); return true;
            case Opcode.I32TruncSatF32U: UnaryCall(F32, I32, nameof(WasmMath.I32TruncSatF32U)); return true;
            case Opcode.I32TruncSatF64S: UnaryCall(F64, I32, nameof(WasmMath.I32TruncSatF64S)); return true;
            case Opcode.I32TruncSatF64U: UnaryCall(F64, I32, nameof(WasmMath.I32TruncSatF64U)); return true;
            case Opcode.I64TruncSatF32S: UnaryCall(F32, I64, nameof(WasmMath.I64TruncSatF32S)); return true;
            case Opcode.I64TruncSatF32U: UnaryCall(F32, I64, nameof(WasmMath.I64TruncSatF32U)); return true;
            case Opcode.I64TruncSatF64S: UnaryCall(F64, I64, nameof(WasmMath.I64TruncSatF64S)); return true;
            case Opcode.I64TruncSatF64U: UnaryCall(F64, I64, nameof(WasmMath.I64TruncSatF64U)); return true;
            default:
                return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Unary(ValueKind input, ValueKind output, params OpCode[] ops)
    {
        Materialize(1);
        Pop();
        foreach (var op in ops)
        {
            _il.Emit(op);
        }

        _ = input;
        Push(output);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Binary(ValueKind input, ValueKind output, params OpCode[] ops)
    {
        Materialize(2);
        PopMany(2);
        foreach (var op in ops)
        {
            _il.Emit(op);
        }

        _ = input;
        Push(output);
    }

    private void UnaryCall(ValueKind input, ValueKind output, string helper) => UnaryCall(input, output, Members.MathHelper(helper));

    private void UnaryCall(ValueKind input, ValueKind output, MethodInfo method, OpCode? after = null)
    {
        Materialize(1);
        Pop();
        EmitHelperCall(method);
        if (after is OpCode a)
        {
            _il.Emit(a);
        }

        _ = input;
        Push(output);
    }

    private void BinaryCall(ValueKind input, ValueKind output, string helper) => BinaryCall(input, output, Members.MathHelper(helper));

    private void BinaryCall(ValueKind input, ValueKind output, MethodInfo method)
    {
        Materialize(2);
        PopMany(2);
        EmitHelperCall(method);
        _ = input;
        Push(output);
    }

    // Shift counts are taken modulo the width, as the spec says (IL leaves larger counts unspecified).
    private void Shift32(OpCode shift)
    {
        Materialize(2);
        PopMany(2);
        _il.Emit(OpCodes.Ldc_I4, 31);
        _il.Emit(OpCodes.And);
        _il.Emit(shift);
        Push(I32);
    }

    private void Shift64(OpCode shift, MethodInfo? rotate)
    {
        Materialize(2);
        PopMany(2);
        _il.Emit(OpCodes.Conv_I4);
        _il.Emit(OpCodes.Ldc_I4, 63);
        _il.Emit(OpCodes.And);
        if (rotate is null)
        {
            _il.Emit(shift);
        }
        else
        {
            EmitHelperCall(rotate);
        }

        Push(I64);
    }
}
