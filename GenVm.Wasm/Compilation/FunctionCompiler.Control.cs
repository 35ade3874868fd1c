using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>Structured control flow, branches and parametric instructions.</summary>
internal sealed partial class FunctionCompiler
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryEmitControl(Opcode op, ref CodeReader reader, ControlFrame frame)
    {
        switch (op)
        {
            case Opcode.Nop:
                return true;
            case Opcode.Unreachable:
                EmitTrap(TrapCode.UnreachableCodeReached);
                MarkUnreachable(frame);
                return true;
            case Opcode.Block:
            {
                var (parameters, results) = ReadBlockSignature(ref reader);
                SpillAll();
                _frames.Add(new ControlFrame
                {
                    Kind = ControlKind.Block,
                    Label = DefineLabel(),
                    Extents = SnapshotExtents(),
                    Params = parameters,
                    Results = results,
                    Height = _stack.Count - parameters.Length,
                });
                return true;
            }

            case Opcode.Loop:
            {
                var (parameters, results) = ReadBlockSignature(ref reader);
                if (TryEmitVersionedLoop(ref reader, parameters, results))
                {
                    return true;
                }

                SpillAll();
                ForgetLoopWrites(reader.Position);
                OpenLoop(parameters, results);
                return true;
            }

            case Opcode.If:
            {
                var (parameters, results) = ReadBlockSignature(ref reader);
                Materialize(1);
                var condition = RentTemp(typeof(int));
                _il.Emit(OpCodes.Stloc, condition);
                Pop();
                SpillAll();
                var height = _stack.Count - parameters.Length;
                LocalBuilder[]? copies = null;
                if (parameters.Length > 0)
                {
                    copies = new LocalBuilder[parameters.Length];
                    for (var i = 0; i < parameters.Length; i++)
                    {
                        copies[i] = DeclareLocal(ClrTypes.Of(parameters[i]));
                        _il.Emit(OpCodes.Ldloc, Slot(height + i, parameters[i]));
                        _il.Emit(OpCodes.Stloc, copies[i]);
                    }
                }

                var elseLabel = DefineLabel();
                _il.Emit(OpCodes.Ldloc, condition);
                _il.Emit(OpCodes.Brfalse, elseLabel);
                ReturnTemp(condition);
                _frames.Add(new ControlFrame
                {
                    Kind = ControlKind.If,
                    Label = DefineLabel(),
                    Extents = SnapshotExtents(),
                    ElseLabel = elseLabel,
                    Params = parameters,
                    Results = results,
                    Height = height,
                    IfParams = copies,
                });
                return true;
            }

            case Opcode.Else:
                EmitElse(frame);
                return true;
            case Opcode.End:
                EmitEnd(frame);
                return true;
            case Opcode.Br:
                EmitBranch(FrameAt(reader.ReadU32()));
                MarkUnreachable(frame);
                return true;
            case Opcode.BrIf:
                EmitBranchIf(FrameAt(reader.ReadU32()));
                return true;
            case Opcode.BrTable:
            {
                var count = (int)reader.ReadU32();
                var depths = new uint[count];
                for (var i = 0; i < count; i++)
                {
                    depths[i] = reader.ReadU32();
                }

                EmitBranchTable(depths, reader.ReadU32());
                MarkUnreachable(frame);
                return true;
            }

            case Opcode.Return:
                EmitBranch(FrameAt((uint)(_frames.Count - 1)));
                MarkUnreachable(frame);
                return true;
            case Opcode.Call:
                EmitCall(reader.ReadU32(), tail: false);
                return true;
            case Opcode.ReturnCall:
                EmitCall(reader.ReadU32(), tail: true);
                MarkUnreachable(frame);
                return true;
            case Opcode.CallIndirect:
            {
                var typeIndex = reader.ReadU32();
                EmitCallIndirect(typeIndex, reader.ReadU32(), tail: false);
                return true;
            }

            case Opcode.ReturnCallIndirect:
            {
                var typeIndex = reader.ReadU32();
                EmitCallIndirect(typeIndex, reader.ReadU32(), tail: true);
                MarkUnreachable(frame);
                return true;
            }

            case Opcode.Drop:
                if (_stack.Count - 1 >= _ilBase)
                {
                    _il.Emit(OpCodes.Pop);
                }

                Pop();
                return true;
            case Opcode.Select:
            case Opcode.SelectTyped:
                reader.SkipImmediates(op);
                EmitSelect();
                return true;
            default:
                return false;
        }
    }

    private (ValueKind[] Params, ValueKind[] Results) ReadBlockSignature(ref CodeReader reader)
    {
        reader.ReadBlockType(out var single, out var typeIndex);
        if (single is ValueKind kind)
        {
            return ([], [kind]);
        }

        if (typeIndex < 0)
        {
            return ([], []);
        }

        var type = _definition.Types[typeIndex];
        return ([.. type.Parameters], [.. type.Results]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ControlFrame FrameAt(uint depth)
    {
        var frame = _frames[_frames.Count - 1 - (int)depth];
        frame.Referenced = true;
        return frame;
    }

    private void MarkUnreachable(ControlFrame frame)
    {
        frame.Unreachable = true;
        Truncate(frame.Height);
    }

    private void Truncate(int height)
    {
        if (_stack.Count > height)
        {
            _stack.RemoveRange(height, _stack.Count - height);
        }

        _ilBase = Math.Min(_ilBase, _stack.Count);
    }

    private void EmitElse(ControlFrame frame)
    {
        if (!frame.Unreachable)
        {
            SpillAll();
            frame.EndReachable = true;
            _il.Emit(OpCodes.Br, frame.Label);
        }

        _il.MarkLabel(frame.ElseLabel);
        RestoreExtents(frame.Extents);
        frame.HasElse = true;
        frame.Unreachable = false;
        Truncate(frame.Height);
        _ilBase = _stack.Count;
        for (var i = 0; i < frame.Params.Length; i++)
        {
            _il.Emit(OpCodes.Ldloc, frame.IfParams![i]);
            Push(frame.Params[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitEnd(ControlFrame frame)
    {
        var fallthrough = !frame.Unreachable;
        if (fallthrough)
        {
            SpillAll();
        }

        switch (frame.Kind)
        {
            case ControlKind.Loop:
                frame.EndReachable = fallthrough;
                break;
            case ControlKind.If when !frame.HasElse:
                // The implicit else passes the parameters through as results.
                if (frame.IfParams is { Length: > 0 } copies)
                {
                    if (fallthrough)
                    {
                        _il.Emit(OpCodes.Br, frame.Label);
                    }

                    _il.MarkLabel(frame.ElseLabel);
                    for (var i = 0; i < copies.Length; i++)
                    {
                        _il.Emit(OpCodes.Ldloc, copies[i]);
                        _il.Emit(OpCodes.Stloc, Slot(frame.Height + i, frame.Params[i]));
                    }
                }
                else
                {
                    _il.MarkLabel(frame.ElseLabel);
                }

                frame.EndReachable = true;
                _il.MarkLabel(frame.Label);
                break;
            default:
                frame.EndReachable |= fallthrough;
                if (frame.EndReachable)
                {
                    _il.MarkLabel(frame.Label);
                }

                break;
        }

        _frames.RemoveAt(_frames.Count - 1);
        if (frame.Kind is ControlKind.Block or ControlKind.If)
        {
            RestoreExtents(frame.Extents);
        }

        if (frame.Kind == ControlKind.Function)
        {
            if (frame.EndReachable)
            {
                EmitReturnFromSlots();
            }

            return;
        }

        Truncate(frame.Height);
        foreach (var result in frame.Results)
        {
            Push(result);
        }

        _ilBase = _stack.Count;
        if (!frame.EndReachable)
        {
            MarkUnreachable(_frames[^1]);
        }
    }

    /// <summary>Unconditional branch: the carried values go to the target's slots, everything else is dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitBranch(ControlFrame target)
    {
        var types = target.BranchTypes;
        var n = types.Length;
        if (target.Kind != ControlKind.Loop)
        {
            target.EndReachable = true;
        }

        if (_stack.Count - n == target.Height)
        {
            SpillAll();
        }
        else
        {
            Materialize(n);
            for (var i = n - 1; i >= 0; i--)
            {
                _il.Emit(OpCodes.Stloc, Slot(target.Height + i, types[i]));
            }

            PopMany(n);
            DiscardIl();
        }

        _il.Emit(OpCodes.Br, target.Label);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitBranchIf(ControlFrame target)
    {
        Materialize(1);
        var condition = RentTemp(typeof(int));
        _il.Emit(OpCodes.Stloc, condition);
        Pop();
        SpillAll();
        if (target.Kind != ControlKind.Loop)
        {
            target.EndReachable = true;
        }

        var types = target.BranchTypes;
        var first = _stack.Count - types.Length;
        _il.Emit(OpCodes.Ldloc, condition);
        ReturnTemp(condition);
        if (first == target.Height)
        {
            _il.Emit(OpCodes.Brtrue, target.Label);
            return;
        }

        var skip = DefineLabel();
        _il.Emit(OpCodes.Brfalse, skip);
        EmitMoveSlots(first, target);
        _il.Emit(OpCodes.Br, target.Label);
        _il.MarkLabel(skip);
    }

    /// <summary>Copies the carried values from the slots at <paramref name="first"/> to the target's slots (ascending, so overlap is safe).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitMoveSlots(int first, ControlFrame target)
    {
        var types = target.BranchTypes;
        for (var i = 0; i < types.Length; i++)
        {
            _il.Emit(OpCodes.Ldloc, Slot(first + i, types[i]));
            _il.Emit(OpCodes.Stloc, Slot(target.Height + i, types[i]));
        }
    }

    private void EmitBranchTable(uint[] depths, uint defaultDepth)
    {
        Materialize(1);
        var index = RentTemp(typeof(int));
        _il.Emit(OpCodes.Stloc, index);
        Pop();
        SpillAll();

        var arity = FrameAt(defaultDepth).BranchTypes.Length;
        var first = _stack.Count - arity;
        var targets = new Dictionary<uint, Label>();
        var trampolines = new List<(Label Label, ControlFrame Target)>();
        var tableExit = BeginTableExit(depths, defaultDepth);
        Label LabelFor(uint depth)
        {
            if (targets.TryGetValue(depth, out var label))
            {
                return label;
            }

            if (tableExit is { } exit && _frames[_frames.Count - 1 - (int)depth].IsProxy)
            {
                targets[depth] = exit.Label;
                return exit.Label;
            }

            var target = FrameAt(depth);
            if (target.Kind != ControlKind.Loop)
            {
                target.EndReachable = true;
            }

            if (first == target.Height)
            {
                label = target.Label;
            }
            else
            {
                label = DefineLabel();
                trampolines.Add((label, target));
            }

            targets[depth] = label;
            return label;
        }

        var labels = new Label[depths.Length];
        for (var i = 0; i < depths.Length; i++)
        {
            labels[i] = LabelFor(depths[i]);
        }

        var defaultLabel = LabelFor(defaultDepth);
        if (labels.Length > 0)
        {
            _il.Emit(OpCodes.Ldloc, index);
            _il.Emit(OpCodes.Switch, labels);
        }

        ReturnTemp(index);

        _il.Emit(OpCodes.Br, defaultLabel);
        foreach (var (label, target) in trampolines)
        {
            _il.MarkLabel(label);
            EmitMoveSlots(first, target);
            _il.Emit(OpCodes.Br, target.Label);
        }

        if (tableExit is { } tableExitStub)
        {
            EmitTableExit(tableExitStub.Label, tableExitStub.Exit, index, first);
        }
    }

    private void EmitSelect()
    {
        Materialize(3);
        var condition = RentTemp(typeof(int));
        _il.Emit(OpCodes.Stloc, condition);
        Pop();
        var kind = _stack[^1];
        var type = ClrTypes.Of(kind);
        var second = RentTemp(type);
        _il.Emit(OpCodes.Stloc, second);
        Pop();
        var first = RentTemp(type);
        _il.Emit(OpCodes.Stloc, first);
        Pop();
        var takeFirst = DefineLabel();
        var done = DefineLabel();
        _il.Emit(OpCodes.Ldloc, condition);
        _il.Emit(OpCodes.Brtrue, takeFirst);
        _il.Emit(OpCodes.Ldloc, second);
        _il.Emit(OpCodes.Br, done);
        _il.MarkLabel(takeFirst);
        _il.Emit(OpCodes.Ldloc, first);
        _il.MarkLabel(done);
        Push(kind);
        ReturnTemp(condition);
        ReturnTemp(second);
        ReturnTemp(first);
    }
}
