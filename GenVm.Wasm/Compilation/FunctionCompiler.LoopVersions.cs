using System.Reflection.Emit;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>Versioned innermost loops: one guard before the loop, then a copy without the proven bounds checks.</summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>While the guarded copy of a loop is emitted: the accesses that need no check (wasm code offsets).</summary>
    private HashSet<int>? _uncheckedAccesses;

    /// <summary>Whether the access being emitted was proven in bounds by the enclosing loop's guard.</summary>
    private bool AccessIsProven => _uncheckedAccesses is { } proven && proven.Contains(_wasmOffset);

    /// <summary>
    /// Emits the loop starting at <paramref name="reader"/> (its block type read) as
    /// <c>if (!guards) goto checked; unchecked copy; goto after; checked: ordinary copy; after:</c>
    /// when <see cref="LoopVersioning"/> proves some of its accesses; returns false (nothing emitted) otherwise.
    /// </summary>
    private bool TryEmitVersionedLoop(ref CodeReader reader, ValueKind[] parameters, ValueKind[] results)
    {
        // Split functions, fuel and nested versioning keep the single copy: pieces, fuel runs and the guarded copy's
        // state would all need duplicating (and the analysis only takes innermost loops anyway). Large modules keep
        // tiering (ModuleCompiler.FullOptsFunctionLimit): their functions start as tier-0 code, where the second copy
        // is only JIT and emit time (CPython's cold start measured ~0.5 s more CPU with 759 loops versioned).
        if (!_module.Engine.Config.LoopVersioning || _split is not null || MeterFuel || _memoryLength is null
            || parameters.Length != 0 || results.Length != 0 || _uncheckedAccesses is not null
            || _definition.FunctionTypeIndices.Count > ModuleCompiler.FullOptsFunctionLimit)
        {
            return false;
        }

        var bodyStart = reader.Position;
        if (LoopVersioning.Analyze(_definition, bodyStart, _localKinds) is not { } plan)
        {
            return false;
        }

        SpillAll();
        ForgetLoopWrites(bodyStart);
        var extents = SnapshotExtents();
        var checkedCopy = DefineLabel();
        var after = DefineLabel();
        EmitLoopGuards(plan, checkedCopy);

        var outer = _frames[^1];
        var height = _stack.Count;
        var dirty = _dirty.ToList();
        var stamps = _stamps.ToList();

        _uncheckedAccesses = plan.UncheckedAccesses;
        OpenLoop(parameters, results);
        CompileUntil(ref reader, _frames.Count - 1);
        _uncheckedAccesses = null;
        if (!outer.Unreachable)
        {
            _il.Emit(OpCodes.Br, after);
        }

        // The second copy starts from the same compile-time state as the first.
        outer.Unreachable = false;
        Truncate(height);
        _ilBase = _stack.Count;
        _dirty.Clear();
        _dirty.AddRange(dirty);
        _stamps.Clear();
        _stamps.AddRange(stamps);
        reader = new CodeReader(_definition.Bytes, bodyStart);
        _il.MarkLabel(checkedCopy);
        RestoreExtents(extents);
        OpenLoop(parameters, results);
        CompileUntil(ref reader, _frames.Count - 1);
        _il.MarkLabel(after);

        // Either copy falls out here; the head's facts concern locals neither copy writes.
        RestoreExtents(extents);
        return true;
    }

    /// <summary>The loop head: label, interrupt poll, control frame.</summary>
    private void OpenLoop(ValueKind[] parameters, ValueKind[] results)
    {
        var label = DefineLabel();
        _il.MarkLabel(label);
        EmitInterruptCheck();
        _frames.Add(new ControlFrame
        {
            Kind = ControlKind.Loop,
            Label = label,
            Params = parameters,
            Results = results,
            Height = _stack.Count - parameters.Length,
        });
    }

    /// <summary>
    /// Branches to <paramref name="fail"/> unless the loop's iteration count is known (nMax) and every guard of the plan
    /// holds for n = 0..nMax. All arithmetic is 64-bit on zero-extended i32 values, so nothing wraps.
    /// </summary>
    private void EmitLoopGuards(LoopPlan plan, Label fail)
    {
        var limit = DeclareLocal(typeof(long));
        var start = DeclareLocal(typeof(long));
        var span = DeclareLocal(typeof(long));
        var last = DeclareLocal(typeof(long));
        var step = plan.Step;

        // limit: the i32 the exit test compares with, computed as the code does (wrapping), then zero-extended.
        _il.Emit(OpCodes.Ldc_I4, (int)plan.Limit.Constant);
        foreach (var (local, coefficient) in plan.Limit.Terms)
        {
            EmitLoadLocal(local);
            if (coefficient != 1)
            {
                _il.Emit(OpCodes.Ldc_I4, (int)coefficient);
                _il.Emit(OpCodes.Mul);
            }

            _il.Emit(OpCodes.Add);
        }

        _il.Emit(OpCodes.Conv_U8);
        _il.Emit(OpCodes.Stloc, limit);
        EmitLoadLocal(plan.Counter);
        _il.Emit(OpCodes.Conv_U8);
        _il.Emit(OpCodes.Stloc, start);
        _il.Emit(OpCodes.Ldloc, limit);
        _il.Emit(OpCodes.Ldloc, start);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, span);

        if (plan.Compare == Opcode.I32Ne)
        {
            // Runs while start + step·(n+1) != limit: n = 0..span/step - 1, provided start + step <= limit and step
            // divides the span (otherwise the counter would pass the limit and wrap).
            _il.Emit(OpCodes.Ldloc, span);
            _il.Emit(OpCodes.Ldc_I8, step);
            _il.Emit(OpCodes.Blt, fail);
            _il.Emit(OpCodes.Ldloc, span);
            _il.Emit(OpCodes.Ldc_I8, step);
            _il.Emit(OpCodes.Rem);
            _il.Emit(OpCodes.Brtrue, fail);
            _il.Emit(OpCodes.Ldloc, span);
            _il.Emit(OpCodes.Ldc_I8, step);
            _il.Emit(OpCodes.Div);
            _il.Emit(OpCodes.Ldc_I8, 1L);
            _il.Emit(OpCodes.Sub);
        }
        else
        {
            // Runs while start + step·(n+1) < limit: n = 0..(span-1)/step, provided start < limit and the counter
            // cannot wrap past the limit (limit + step - 1 below 2^32, or 2^31 for the signed test with start >= 0).
            var signed = plan.Compare == Opcode.I32LtS;
            _il.Emit(OpCodes.Ldloc, span);
            _il.Emit(OpCodes.Ldc_I8, 1L);
            _il.Emit(OpCodes.Blt, fail);
            _il.Emit(OpCodes.Ldloc, limit);
            _il.Emit(OpCodes.Ldc_I8, (signed ? 1L << 31 : 1L << 32) - step);
            _il.Emit(OpCodes.Bgt, fail);
            if (signed)
            {
                _il.Emit(OpCodes.Ldloc, start);
                _il.Emit(OpCodes.Ldc_I8, (long)int.MaxValue);
                _il.Emit(OpCodes.Bgt, fail);
            }

            _il.Emit(OpCodes.Ldloc, span);
            _il.Emit(OpCodes.Ldc_I8, 1L);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Ldc_I8, step);
            _il.Emit(OpCodes.Div);
        }

        _il.Emit(OpCodes.Stloc, last);

        // Each guard: the largest effective address + size over n = 0..nMax fits the memory (which never shrinks).
        foreach (var (terms, slope, extent) in plan.Checks)
        {
            _il.Emit(OpCodes.Ldc_I8, extent);
            foreach (var (local, coefficient) in terms)
            {
                EmitLoadLocal(local);
                _il.Emit(OpCodes.Conv_U8);
                if (coefficient != 1)
                {
                    _il.Emit(OpCodes.Ldc_I8, coefficient);
                    _il.Emit(OpCodes.Mul);
                }

                _il.Emit(OpCodes.Add);
            }

            if (slope != 0)
            {
                _il.Emit(OpCodes.Ldloc, last);
                _il.Emit(OpCodes.Ldc_I8, slope);
                _il.Emit(OpCodes.Mul);
                _il.Emit(OpCodes.Add);
            }

            _il.Emit(OpCodes.Ldloc, _memoryLength!);
            _il.Emit(OpCodes.Bgt, fail);
        }
    }
}
