using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Outlining of large structured regions into pieces, so that functions larger than RyuJIT's full-optimisation
/// thresholds (CPython's eval loop) are still compiled optimised.
/// <para>
/// A piece is a static method <c>int f{index}_{n}(ref Frame frame, Context ctx)</c> compiling one block, loop or if
/// (nested pieces included). The wasm locals that outlined code uses live in the frame (<see cref="FrameLayout"/>);
/// the region's inputs and results, and the values of branches leaving it, go through the frame's carry fields.
/// The piece returns -1 when its region ends normally, or the control-stack index of the enclosing frame a branch
/// (or <c>return</c>, index 0) leaves to; the caller moves the carried values to that frame's slots and branches,
/// or, when the frame is outside the caller too, returns the same index to its own caller.
/// </para>
/// <para>
/// A piece is not a wasm frame: it does not count towards the call depth or the value-stack budget, it polls for
/// interruption only at the loop headers it contains, and backtraces show it as its function (see
/// <see cref="Runtime.TrapFrames"/>). Regions with tail calls are never outlined.
/// </para>
/// </summary>
internal sealed partial class FunctionCompiler
{
    private const int FallthroughCode = -1;

    private readonly FunctionSplit? _split;
    private readonly bool _isPiece;
    private readonly SortedSet<int> _pieceExits = [];
    private readonly Dictionary<ControlFrame, (int Index, Label Label)> _exitTrampolines = [];
    private readonly List<TableExit> _pieceTables = [];
    private LocalBuilder? _frameLocal;
    private int _pieceStart = -1;
    private int _segmentStart = -1;
    private readonly int _pieceNumber = -1;

    /// <summary>A compiler for a piece of <paramref name="parent"/>'s function.</summary>
    private FunctionCompiler(FunctionCompiler parent, MeteredILGenerator il, int pieceNumber)
    {
        _pieceNumber = pieceNumber;
        _module = parent._module;
        _definition = parent._definition;
        _body = parent._body;
        _type = parent._type;
        _il = il;
        _split = parent._split;
        _isPiece = true;

        // Argument 1 is the context: emitters load it with ldarg _paramCount. Every wasm local a piece uses lives
        // in the frame, so no wasm local is an argument here.
        _paramCount = 1;
        _localKinds = parent._localKinds;
        _locals = [];
    }

    /// <summary>The outcome of compiling a piece.</summary>
    private readonly record struct PieceOutcome(MethodBuilder Method, SortedSet<int> Exits, List<TableExit> Tables, bool Fallthrough, int End);

    /// <summary>
    /// A <c>br_table</c> in a piece whose targets are largely outside it: instead of one exit stub per target, the
    /// piece returns <c>-2 - (Base + entry)</c> and the callers map the entry to its frame (<see cref="Frames"/>:
    /// the control-stack index per entry, the default last), each one jumping only to its own frames.
    /// </summary>
    private sealed record TableExit(int Base, int[] Frames);

    private void EmitFrameAddress()
    {
        if (_isPiece)
        {
            _il.Emit(OpCodes.Ldarg_0);
        }
        else
        {
            _il.Emit(OpCodes.Ldloca, _frameLocal!);
        }
    }

    /// <summary>In a split function: declares the frame and moves the parameters that live in it there.</summary>
    private void EmitFrameSetup()
    {
        if (_split is null)
        {
            return;
        }

        _frameLocal = DeclareLocal(_split.Layout.Type);
        for (var i = 0; i < _paramCount; i++)
        {
            if (_split.InFrame[i])
            {
                _il.Emit(OpCodes.Ldloca, _frameLocal);
                _il.Emit(OpCodes.Ldarg, i);
                _il.Emit(OpCodes.Stfld, _split.Layout.Local(i));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitLoadLocal(int index)
    {
        if (_split is not null && _split.InFrame[index])
        {
            EmitFrameAddress();
            _il.Emit(OpCodes.Ldfld, _split.Layout.Local(index));
        }
        else if (index < _paramCount)
        {
            _il.Emit(OpCodes.Ldarg, index);
        }
        else
        {
            _il.Emit(OpCodes.Ldloc, _locals[index - _paramCount]);
        }
    }

    /// <summary>Stores the value on top of the IL stack into wasm local <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitStoreLocal(int index)
    {
        if (_split is not null && _split.InFrame[index])
        {
            var value = RentTemp(ClrTypes.Of(_localKinds[index]));
            _il.Emit(OpCodes.Stloc, value);
            EmitFrameAddress();
            _il.Emit(OpCodes.Ldloc, value);
            _il.Emit(OpCodes.Stfld, _split.Layout.Local(index));
            ReturnTemp(value);
        }
        else if (index < _paramCount)
        {
            _il.Emit(OpCodes.Starg, index);
        }
        else
        {
            _il.Emit(OpCodes.Stloc, _locals[index - _paramCount]);
        }
    }

    /// <summary>
    /// Called before each reachable instruction of a split (or measured) function: records regions in a measuring
    /// run, or compiles a region chosen for outlining as a call of a new piece.
    /// </summary>
    private bool TryEmitOutlined(Opcode op, ref CodeReader reader)
    {
        var split = _split!;
        if (split.Trace is { } trace)
        {
            if (_stack.Count == _frames[^1].Height)
            {
                trace.Cut(_wasmOffset, _il.Metrics);
            }

            switch (op)
            {
                case Opcode.ReturnCall or Opcode.ReturnCallIndirect:
                    trace.MarkTailCall(_wasmOffset);
                    break;
                case Opcode.Else:
                    trace.Barrier();
                    break;
                case Opcode.Block or Opcode.Loop or Opcode.If:
                    trace.Open(_wasmOffset, _il.Metrics);
                    break;
            }

            return false;
        }

        if (_wasmOffset != _segmentStart && split.Segments.TryGetValue(_wasmOffset, out var end))
        {
            EmitOutlined(op, ref reader, end);
            return true;
        }

        if (op is not (Opcode.Block or Opcode.Loop or Opcode.If) || _wasmOffset == _pieceStart || !split.Outlined.Contains(_wasmOffset))
        {
            return false;
        }

        EmitOutlined(op, ref reader, -1);
        return true;
    }

    /// <summary>
    /// Emits a call of a new piece compiling the region opened by <paramref name="op"/> or, when
    /// <paramref name="segmentEnd"/> is not -1, the straight-line run up to that offset.
    /// </summary>
    private void EmitOutlined(Opcode op, ref CodeReader reader, int segmentEnd)
    {
        var split = _split!;
        if (SoftFloatPolicy)
        {
            // A call is a control transfer: values crossing it are canonical (see FunctionCompiler.SoftFloat).
            BeforeSoftFloat(Opcode.Block);
        }

        ValueKind[] results = [];
        var inputs = 0;
        if (segmentEnd < 0)
        {
            var peek = reader;
            (var parameters, results) = ReadBlockSignature(ref peek);
            inputs = parameters.Length + (op == Opcode.If ? 1 : 0);
        }

        SpillAll();

        var root = split.Root!;
        var number = split.PieceCount++;
        var method = ((TypeBuilder)root.DeclaringType!).DefineMethod(
            root.Name + "_" + number,
            MethodAttributes.Public | MethodAttributes.Static,
            typeof(int),
            [split.Layout.Type.MakeByRefType(), _module.ContextType]);

        // A piece must stay a frame of its own: inlined, it would make its caller oversized again.
        method.SetImplementationFlags(MethodImplAttributes.NoInlining);
        var piece = new FunctionCompiler(this, new MeteredILGenerator(method.GetILGenerator(Math.Max(64, _body.CodeLength))), number);
        var outcome = piece.CompilePiece(method, _frames, _stack, _wasmOffset, inputs, segmentEnd);

        var first = _stack.Count - inputs;
        for (var j = 0; j < inputs; j++)
        {
            var kind = _stack[first + j];
            EmitFrameAddress();
            _il.Emit(OpCodes.Ldloc, Slot(first + j, kind));
            _il.Emit(OpCodes.Stfld, split.Layout.Carry(j, kind));
        }

        Truncate(first);
        FlushFuel();
        EmitFrameAddress();
        _il.Emit(OpCodes.Ldarg, _paramCount);
        _il.Emit(OpCodes.Call, method);
        ReloadMemoryLength();
        EmitExitDispatch(outcome);

        if (outcome.Fallthrough)
        {
            for (var j = 0; j < results.Length; j++)
            {
                EmitFrameAddress();
                _il.Emit(OpCodes.Ldfld, split.Layout.Carry(j, results[j]));
                _il.Emit(OpCodes.Stloc, Slot(first + j, results[j]));
                Push(results[j]);
            }

            _ilBase = _stack.Count;
        }
        else
        {
            MarkUnreachable(_frames[^1]);
        }

        reader = new CodeReader(_definition.Bytes, outcome.End);
    }

    /// <summary>With a piece's exit code on the IL stack: branches to the frame it names, or falls through on -1.</summary>
    private void EmitExitDispatch(PieceOutcome outcome)
    {
        if (outcome.Tables.Count == 0)
        {
            EmitRegularDispatch(outcome);
            return;
        }

        var code = RentTemp(typeof(int));
        var encoded = DefineLabel();
        _il.Emit(OpCodes.Stloc, code);
        _il.Emit(OpCodes.Ldloc, code);
        _il.Emit(OpCodes.Ldc_I4_M1);
        _il.Emit(OpCodes.Blt, encoded);
        _il.Emit(OpCodes.Ldloc, code);
        EmitRegularDispatch(outcome);
        var after = DefineLabel();
        if (outcome.Fallthrough)
        {
            _il.Emit(OpCodes.Br, after);
        }

        _il.MarkLabel(encoded);
        var propagate = DefineLabel();
        Label? anyLabel = null;
        foreach (var table in outcome.Tables)
        {
            var labels = new Label[table.Frames.Length];
            var outside = false;
            for (var i = 0; i < labels.Length; i++)
            {
                if (table.Frames[i] >= _frames.Count)
                {
                    // A frame inside the piece: the piece handled that entry itself.
                    labels[i] = propagate;
                }
                else if (_frames[table.Frames[i]].IsProxy)
                {
                    labels[i] = propagate;
                    outside = true;
                }
                else
                {
                    labels[i] = ExitLabel(table.Frames[i]);
                    anyLabel ??= labels[i];
                }
            }

            if (outside)
            {
                // Some entries leave this piece too: pass the same code on (the values stay in the carry fields).
                _pieceTables.Add(table);
            }

            _il.Emit(OpCodes.Ldc_I4, -2 - table.Base);
            _il.Emit(OpCodes.Ldloc, code);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Switch, labels);
        }

        // Entries leaving this piece too pass the code on. No entry matching cannot happen (every code the piece
        // returns is covered), but IL must not fall through.
        _il.MarkLabel(propagate);
        if (_isPiece || anyLabel is null)
        {
            _il.Emit(OpCodes.Ldloc, code);
            _il.Emit(OpCodes.Ret);
        }
        else
        {
            _il.Emit(OpCodes.Br, anyLabel.Value);
        }

        if (outcome.Fallthrough)
        {
            _il.MarkLabel(after);
        }

        ReturnTemp(code);
    }

    /// <summary>
    /// In a piece, for a <c>br_table</c> with many targets outside it: the label its outside targets share and the
    /// table's entry in the exit codes (see <see cref="TableExit"/>); null to use ordinary exit stubs.
    /// </summary>
    private (Label Label, TableExit Exit)? BeginTableExit(uint[] depths, uint defaultDepth)
    {
        const int MinimumOutsideTargets = 8;
        if (!_isPiece)
        {
            return null;
        }

        var frames = new int[depths.Length + 1];
        for (var i = 0; i < depths.Length; i++)
        {
            frames[i] = _frames.Count - 1 - (int)depths[i];
        }

        frames[^1] = _frames.Count - 1 - (int)defaultDepth;
        if (frames.Distinct().Count(f => _frames[f].IsProxy) < MinimumOutsideTargets)
        {
            return null;
        }

        var exit = new TableExit(_split!.TableCodes, frames);
        _split.TableCodes += frames.Length;
        _pieceTables.Add(exit);
        return (DefineLabel(), exit);
    }

    /// <summary>The shared stub of a <see cref="TableExit"/>: the carried values to the carry fields, then the code.</summary>
    private void EmitTableExit(Label label, TableExit exit, LocalBuilder index, int first)
    {
        _il.MarkLabel(label);
        var types = _frames[exit.Frames[^1]].BranchTypes;
        for (var k = 0; k < types.Length; k++)
        {
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldloc, Slot(first + k, types[k]));
            _il.Emit(OpCodes.Stfld, _split!.Layout.Carry(k, types[k]));
        }

        // An index beyond the table selects the default, the last entry.
        var count = exit.Frames.Length - 1;
        var inRange = DefineLabel();
        _il.Emit(OpCodes.Ldloc, index);
        _il.Emit(OpCodes.Ldc_I4, count);
        _il.Emit(OpCodes.Blt_Un, inRange);
        _il.Emit(OpCodes.Ldc_I4, count);
        _il.Emit(OpCodes.Stloc, index);
        _il.MarkLabel(inRange);
        _il.Emit(OpCodes.Ldc_I4, -2 - exit.Base);
        _il.Emit(OpCodes.Ldloc, index);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Ret);
    }

    /// <summary>Dispatch on the ordinary exit codes (the code is on the IL stack).</summary>
    private void EmitRegularDispatch(PieceOutcome outcome)
    {
        var exits = outcome.Exits.ToArray();
        if (exits.Length == 0)
        {
            _il.Emit(OpCodes.Pop);
            return;
        }

        if (exits.Length >= 3)
        {
            // A jump table over the frame indices; the fallthrough code -1 takes the default.
            var min = exits[0];
            var fallthroughLabel = outcome.Fallthrough ? DefineLabel() : ExitLabel(exits[^1]);
            var labels = new Label[exits[^1] - min + 1];
            Array.Fill(labels, fallthroughLabel);
            foreach (var exit in exits)
            {
                labels[exit - min] = ExitLabel(exit);
            }

            if (min != 0)
            {
                _il.Emit(OpCodes.Ldc_I4, min);
                _il.Emit(OpCodes.Sub);
            }

            _il.Emit(OpCodes.Switch, labels);
            if (outcome.Fallthrough)
            {
                _il.MarkLabel(fallthroughLabel);
            }
            else
            {
                // Never taken (the piece returns one of its exits), but IL must not fall into what follows.
                _il.Emit(OpCodes.Br, fallthroughLabel);
            }

            return;
        }

        var code = RentTemp(typeof(int));
        _il.Emit(OpCodes.Stloc, code);
        for (var i = 0; i < exits.Length; i++)
        {
            var label = ExitLabel(exits[i]);
            if (i == exits.Length - 1 && !outcome.Fallthrough)
            {
                _il.Emit(OpCodes.Br, label);
                break;
            }

            _il.Emit(OpCodes.Ldloc, code);
            _il.Emit(OpCodes.Ldc_I4, exits[i]);
            _il.Emit(OpCodes.Beq, label);
        }

        ReturnTemp(code);
    }

    /// <summary>
    /// Where a piece's exit to frame <paramref name="index"/> continues in this method: the frame's own label when
    /// no values travel, else a trampoline moving them from the carry fields to the frame's slots, or, for a frame
    /// outside this piece too, one returning the same exit code. Trampolines are shared by every call site of the
    /// method (the carry fields and the target slots do not depend on the site) and emitted at its end.
    /// </summary>
    private Label ExitLabel(int index)
    {
        var target = _frames[index];
        if (target.Kind != ControlKind.Loop)
        {
            target.EndReachable = true;
        }

        if (!target.IsProxy && target.BranchTypes.Length == 0)
        {
            return target.Label;
        }

        if (!_exitTrampolines.TryGetValue(target, out var trampoline))
        {
            trampoline = (index, DefineLabel());
            _exitTrampolines[target] = trampoline;
        }

        return trampoline.Label;
    }

    /// <summary>Emits the trampolines <see cref="ExitLabel"/> handed out (after the method's last instruction).</summary>
    private void EmitExitTrampolines()
    {
        foreach (var (target, (index, label)) in _exitTrampolines)
        {
            _il.MarkLabel(label);
            if (target.IsProxy)
            {
                // Outside this piece too: pass the exit on (the values stay in the carry fields).
                _pieceExits.Add(index);
                _il.Emit(OpCodes.Ldc_I4, index);
                _il.Emit(OpCodes.Ret);
                continue;
            }

            var types = target.BranchTypes;
            for (var i = 0; i < types.Length; i++)
            {
                EmitFrameAddress();
                _il.Emit(OpCodes.Ldfld, _split!.Layout.Carry(i, types[i]));
                _il.Emit(OpCodes.Stloc, Slot(target.Height + i, types[i]));
            }

            _il.Emit(OpCodes.Br, target.Label);
        }

        _exitTrampolines.Clear();
    }

    /// <summary>
    /// Compiles the region starting at <paramref name="start"/> as this piece. The enclosing frames become proxies
    /// (same indices, so exit codes mean the same in every method of the function); the operand stack below the
    /// region keeps its types only to keep the slot depths, the region's inputs arrive in the carry fields.
    /// </summary>
    private PieceOutcome CompilePiece(MethodBuilder method, List<ControlFrame> enclosing, List<ValueKind> stack, int start, int inputs, int segmentEnd)
    {
        _wasmOffset = start;
        EmitPiecePrologue();
        foreach (var frame in enclosing)
        {
            _frames.Add(new ControlFrame
            {
                Kind = frame.Kind,
                Label = DefineLabel(),
                Params = frame.Params,
                Results = frame.Results,
                Height = frame.Height,
                IsProxy = true,
            });
        }

        _stack.AddRange(stack);
        _ilBase = _stack.Count;
        var first = _stack.Count - inputs;
        var layout = _split!.Layout;
        for (var j = 0; j < inputs; j++)
        {
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldfld, layout.Carry(j, _stack[first + j]));
            _il.Emit(OpCodes.Stloc, Slot(first + j, _stack[first + j]));
        }

        var reader = new CodeReader(_definition.Bytes, start);
        if (segmentEnd < 0)
        {
            _pieceStart = start;
            CompileUntil(ref reader, enclosing.Count);
        }
        else
        {
            // A straight-line run stays inside the innermost enclosing frame (the planner cut it where that frame's
            // operand stack is empty), so only its end offset stops it.
            _segmentStart = start;
            CompileUntil(ref reader, enclosing.Count - 1, segmentEnd);
        }

        var fallthrough = !_frames[^1].Unreachable;
        if (fallthrough)
        {
            // A straight-line run may end inside a fuel run: charge what it executed.
            FlushFuel();

            // The region's results are the top of the stack, in their slots (EmitEnd spilled them).
            var results = _stack.Count - first;
            for (var j = 0; j < results; j++)
            {
                _il.Emit(OpCodes.Ldarg_0);
                _il.Emit(OpCodes.Ldloc, Slot(first + j, _stack[first + j]));
                _il.Emit(OpCodes.Stfld, layout.Carry(j, _stack[first + j]));
            }

            _il.Emit(OpCodes.Ldc_I4, FallthroughCode);
            _il.Emit(OpCodes.Ret);
        }

        EmitExitTrampolines();

        // Exit stubs: a branch to an enclosing frame left its values in that frame's slots of this method.
        for (var index = 0; index < enclosing.Count; index++)
        {
            var proxy = _frames[index];
            if (!proxy.Referenced)
            {
                continue;
            }

            _il.MarkLabel(proxy.Label);
            var types = proxy.BranchTypes;
            for (var i = 0; i < types.Length; i++)
            {
                _il.Emit(OpCodes.Ldarg_0);
                _il.Emit(OpCodes.Ldloc, Slot(proxy.Height + i, types[i]));
                _il.Emit(OpCodes.Stfld, layout.Carry(i, types[i]));
            }

            _il.Emit(OpCodes.Ldc_I4, index);
            _il.Emit(OpCodes.Ret);
            _pieceExits.Add(index);
        }

        _split!.PieceOffsetMaps[_pieceNumber] = [.. _offsetMap];
        var metrics = _il.Metrics;
        if (metrics.ExceedsJitLimits)
        {
            _module.Oversized.Add(new OversizedFunction(_body.FunctionIndex, metrics.Bytes, metrics.Locals, metrics.Blocks));
        }

        return new PieceOutcome(method, _pieceExits, _pieceTables, fallthrough, reader.Position);
    }

    /// <summary>
    /// Charges the pending fuel of the current straight-line run (docs/fuel.md) before a piece is entered or left,
    /// since each method meters its own runs.
    /// </summary>
    private void FlushFuel()
    {
        if (MeterFuel)
        {
            // block costs nothing and ends a run: this charges exactly the pending fuel.
            AccountFuel(Opcode.Block);
        }
    }

    private void EmitPiecePrologue()
    {
        _state = DeclareLocal(typeof(Runtime.ExecState));
        _il.Emit(OpCodes.Ldarg, _paramCount);
        EmitField(OpCodes.Ldfld, Members.ContextState);
        _il.Emit(OpCodes.Stloc, _state);
        if (_module.HasMemory)
        {
            _memoryBase = DeclareLocal(typeof(nint));
            _memoryLength = DeclareLocal(typeof(long));
            _il.Emit(OpCodes.Ldarg, _paramCount);
            EmitField(OpCodes.Ldfld, Members.ContextMemory0);
            _il.Emit(OpCodes.Dup);
            EmitField(OpCodes.Ldfld, Members.MemoryBase);
            _il.Emit(OpCodes.Stloc, _memoryBase);
            EmitField(OpCodes.Ldfld, Members.MemoryLength);
            _il.Emit(OpCodes.Stloc, _memoryLength);
        }
    }
}
