using System.Reflection.Emit;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Runtime;
using GenVm.Wasm.Runtime.SoftFloat;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// The <see cref="FloatPolicy.SoftFloat"/> policy: float instructions give the reference soft-float rewrite's results
/// (python-sdk.md §20.3) at hardware speed.
/// <para>
/// Correctly rounded hardware arithmetic differs from SoftFloat only in which NaN it produces (docs/decisions.md,
/// "SoftFloat"). A NaN's bits only matter where they can be observed; every arithmetic instruction, comparison and
/// float→int conversion gives the same result for any NaN input. So an arithmetic result is left as the hardware made
/// it and marked <em>dirty</em> on the compile-time operand stack; it is replaced by the default NaN (if NaN) only when
/// an instruction that could observe its bits consumes it (store, reinterpret, neg/abs/copysign, local or global write,
/// select), or at any control instruction or call. Expression trees (<c>dx*dx + dy*dy</c>) thus pay one NaN test, not
/// one per operation. The test is a compare and a branch over the reload of the default NaN; a branch-free vector
/// select measured slower under RyuJIT (n-body: 1.77x native against 1.45x, <c>GenVm.Bench float-policy</c>).
/// </para>
/// </summary>
internal sealed partial class FunctionCompiler
{
    // Values (operand-stack depth and push serial) that may hold a hardware NaN. A flag is stale once its depth was
    // popped and pushed again (the serial no longer matches) and is then ignored.
    private readonly List<(int Depth, long Serial)> _dirty = [];
    private readonly List<long> _stamps = [];
    private long _serial;

    private bool SoftFloatPolicy => _module.Engine.Config.FloatPolicy == FloatPolicy.SoftFloat;

    /// <summary>Arithmetic whose hardware result may be a NaN other than the default NaN.</summary>
    private static bool ProducesDirty(Opcode op) =>
        op is Opcode.F32Ceil or Opcode.F32Floor or Opcode.F32Trunc or Opcode.F32Nearest or Opcode.F32Sqrt
            or Opcode.F32Add or Opcode.F32Sub or Opcode.F32Mul or Opcode.F32Div or Opcode.F32Min or Opcode.F32Max
            or Opcode.F64Ceil or Opcode.F64Floor or Opcode.F64Trunc or Opcode.F64Nearest or Opcode.F64Sqrt
            or Opcode.F64Add or Opcode.F64Sub or Opcode.F64Mul or Opcode.F64Div or Opcode.F64Min or Opcode.F64Max
            or Opcode.F32DemoteF64 or Opcode.F64PromoteF32;

    /// <summary>
    /// How many operands (from the top) <paramref name="op"/> could observe the NaN bits of: all of the stack for
    /// control instructions and calls (values cross blocks, calls and returns canonical), the operands of stores,
    /// reinterprets, sign operations, local/global writes and <c>select</c>, and none for everything else (integer
    /// instructions, loads, and float arithmetic, comparisons and conversions, whose results do not depend on a NaN's
    /// bits).
    /// </summary>
    private static int ObservedOperands(Opcode op) => op switch
    {
        Opcode.Select or Opcode.SelectTyped => 3,
        Opcode.Drop or Opcode.Nop => 0,
        <= Opcode.ReturnCallIndirect => int.MaxValue,
        Opcode.LocalSet or Opcode.LocalTee or Opcode.GlobalSet => 1,
        Opcode.F32Store or Opcode.F64Store or Opcode.F32Copysign or Opcode.F64Copysign => 2,
        Opcode.I32ReinterpretF32 or Opcode.I64ReinterpretF64 or Opcode.F32Abs or Opcode.F32Neg or Opcode.F64Abs or Opcode.F64Neg => 1,
        _ => 0,
    };

    /// <summary>Records the push serial of the value just pushed (see <see cref="_dirty"/>).</summary>
    private void StampPush()
    {
        var depth = _stack.Count - 1;
        if (_stamps.Count <= depth)
        {
            _stamps.Add(0);
        }

        _stamps[depth] = ++_serial;
    }

    /// <summary>Before each reachable instruction: canonicalises the dirty values <paramref name="op"/> could observe.</summary>
    private void BeforeSoftFloat(Opcode op)
    {
        if (_dirty.Count == 0)
        {
            return;
        }

        _dirty.RemoveAll(d => d.Depth >= _stack.Count || _stamps[d.Depth] != d.Serial);
        var observed = ObservedOperands(op);
        var lowest = observed >= _stack.Count ? 0 : _stack.Count - observed;
        if (observed == 0 || !_dirty.Exists(d => d.Depth >= lowest))
        {
            return;
        }

        SpillAll();
        foreach (var (depth, _) in _dirty)
        {
            if (depth >= lowest)
            {
                EmitCanonicalSlot(Slot(depth, _stack[depth]), _stack[depth]);
            }
        }

        _dirty.RemoveAll(d => d.Depth >= lowest);
    }

    /// <summary>After each reachable instruction: flags its result when it may be a hardware NaN.</summary>
    private void AfterSoftFloat(Opcode op)
    {
        if (ProducesDirty(op) && !_frames[^1].Unreachable)
        {
            _dirty.Add((_stack.Count - 1, _stamps[_stack.Count - 1]));
        }
    }

    /// <summary>
    /// Emits the instructions whose native code differs from the soft-float result: float→int truncations saturate
    /// (SoftFloat's <c>fNN_to_iMM/uiMM</c> with <c>round_minMag</c>) instead of trapping. Every other listed instruction
    /// compiles as in <see cref="FloatPolicy.Native"/>: arithmetic is correctly rounded (NaNs handled above),
    /// comparisons are quiet, int→float conversions are correctly rounded, neg/abs/copysign are sign-bit operations.
    /// </summary>
    private bool TryEmitSoftFloat(Opcode op)
    {
        switch (op)
        {
            case Opcode.I32TruncF32S: UnaryCall(F32, I32, Members.SoftFloatHelper(nameof(SoftFloatOps.I32TruncF32S))); return true;
            case Opcode.I32TruncF32U: UnaryCall(F32, I32, Members.SoftFloatHelper(nameof(SoftFloatOps.I32TruncF32U))); return true;
            case Opcode.I32TruncF64S: UnaryCall(F64, I32, Members.SoftFloatHelper(nameof(SoftFloatOps.I32TruncF64S))); return true;
            case Opcode.I32TruncF64U: UnaryCall(F64, I32, Members.SoftFloatHelper(nameof(SoftFloatOps.I32TruncF64U))); return true;
            case Opcode.I64TruncF32S: UnaryCall(F32, I64, Members.SoftFloatHelper(nameof(SoftFloatOps.I64TruncF32S))); return true;
            case Opcode.I64TruncF32U: UnaryCall(F32, I64, Members.SoftFloatHelper(nameof(SoftFloatOps.I64TruncF32U))); return true;
            case Opcode.I64TruncF64S: UnaryCall(F64, I64, Members.SoftFloatHelper(nameof(SoftFloatOps.I64TruncF64S))); return true;
            case Opcode.I64TruncF64U: UnaryCall(F64, I64, Members.SoftFloatHelper(nameof(SoftFloatOps.I64TruncF64U))); return true;
            default:
                return false;
        }
    }

    /// <summary><c>if (slot != slot) slot = default NaN;</c> (the IL stack is empty).</summary>
    private void EmitCanonicalSlot(LocalBuilder slot, ValueKind kind)
    {
        var done = DefineLabel();
        _il.Emit(OpCodes.Ldloc, slot);
        _il.Emit(OpCodes.Ldloc, slot);
        _il.Emit(OpCodes.Beq, done); // ordered equal: not NaN
        if (kind == F32)
        {
            _il.Emit(OpCodes.Ldc_R4, BitConverter.UInt32BitsToSingle(Specialization.F32DefaultNaN));
        }
        else
        {
            _il.Emit(OpCodes.Ldc_R8, BitConverter.UInt64BitsToDouble(Specialization.F64DefaultNaN));
        }

        _il.Emit(OpCodes.Stloc, slot);
        _il.MarkLabel(done);
    }
}
