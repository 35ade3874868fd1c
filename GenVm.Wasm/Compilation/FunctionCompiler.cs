using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Compiles one wasm function body to the IL of a static method <c>R f(P..., Context ctx)</c>.
/// <para>
/// Operand stack model: the wasm operand stack maps to the IL evaluation stack, except that every value below
/// <see cref="_ilBase"/> is "spilled" into a slot local owned by its depth and type. Values are spilled at control
/// boundaries so that the IL stack is empty at every label; a branch writes the values it carries into the slots
/// of the target's depth, so after a label the block's results (or a loop's parameters) are simply the spilled
/// entries at those depths. RyuJIT turns the slot locals into registers.
/// </para>
/// <para>
/// The per-instruction emission path (and <see cref="CodeReader"/>'s hot readers) is marked
/// <see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization"/>, like the decoder and
/// validator: a cold-cache start emits CPython's ~8,500 functions once, in a fresh process, so these methods would
/// otherwise run as tier-0 code, then as PGO-instrumented code, and be re-jitted twice on the way to tier 1 during
/// that one compilation (in-process, first compile of CPython: about 15% less CPU; `GENVM_WASM_TIMINGS=1`).
/// </para>
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// A leaf with at most this many wasm locals plus operand slots skips the native stack probe: its JIT frame
    /// (locals, spill slots, temporaries: a few KiB) fits in the 256 KiB StackBounds keeps below the limit.
    /// </summary>
    private const int LeafProbeFreeSlots = 256;

    private readonly ModuleCompilation _module;
    private readonly ModuleDefinition _definition;
    private readonly FunctionBody _body;
    private readonly FuncType _type;
    private readonly MeteredILGenerator _il;
    private readonly int _paramCount;
    private readonly ValueKind[] _localKinds;
    private readonly LocalBuilder[] _locals;
    private readonly List<ValueKind> _stack = [];
    private readonly List<ControlFrame> _frames = [];
    private readonly Dictionary<(int Depth, ValueKind Kind), LocalBuilder> _slots = [];
    private readonly Dictionary<Type, Stack<LocalBuilder>> _temps = [];
    private int _ilBase;
    private int _labels;
    private int _localCount;
    private LocalBuilder _state = null!;
    private LocalBuilder? _memoryBase;
    private LocalBuilder? _memoryLength;
    private LocalBuilder? _stackProbe;
    private int _stackCost;

    /// <summary>
    /// The function calls nothing that can run wasm code (see <see cref="ScanBody"/>): no frame can be pushed on top of
    /// it, so its prologue only checks the depth and budget limits instead of holding them (nothing else reads them
    /// while it runs; <see cref="Runtime.Invoker"/> restores both after a trap), and small ones skip the native stack
    /// probe (their caller's probe passed, and StackBounds keeps 256 KiB below the limit).
    /// </summary>
    private bool _isLeaf;
    private int _wasmOffset;
    private readonly List<int> _offsetMap = [];

    public FunctionCompiler(ModuleCompilation module, FunctionBody body, MethodBuilder method)
        : this(module, body, new MeteredILGenerator(method.GetILGenerator(Math.Max(64, body.CodeLength * 4))), null)
    {
    }

    /// <summary>
    /// A compiler emitting into <paramref name="il"/> (a dry run when it emits nothing); <paramref name="split"/>
    /// is set when the function is split into outlined pieces (or measured for that).
    /// </summary>
    public FunctionCompiler(ModuleCompilation module, FunctionBody body, MeteredILGenerator il, FunctionSplit? split)
    {
        _module = module;
        _definition = module.Definition;
        _body = body;
        _type = _definition.GetFunctionType(body.FunctionIndex);
        _il = il;
        _split = split;
        _paramCount = _type.Parameters.Length;
        _localKinds = [.. _type.Parameters, .. body.Locals];
        _locals = new LocalBuilder[body.Locals.Length];
        for (var i = 0; i < _locals.Length; i++)
        {
            if (split is null || !split.InFrame[_paramCount + i])
            {
                _locals[i] = DeclareLocal(ClrTypes.Of(body.Locals[i]));
            }
        }
    }

    /// <summary>The size of the emitted method so far, as RyuJIT counts it.</summary>
    public IlMetrics Metrics => _il.Metrics;

    /// <summary>Emits the method body.</summary>
    public void Compile()
    {
        var (hasTailCalls, callsOut) = ScanBody();
        _isLeaf = !callsOut && _split is null;
        _wasmOffset = _body.CodeOffset;
        EmitPrologue(hasTailCalls);
        EmitFrameSetup();
        _frames.Add(new ControlFrame
        {
            Kind = ControlKind.Function,
            Label = DefineLabel(),
            Params = [],
            Results = [.. _type.Results],
            Height = 0,
        });

        var reader = new CodeReader(_definition.Bytes, _body.CodeOffset);
        CompileUntil(ref reader, 0);
        if (_split is not null)
        {
            EmitExitTrampolines();
        }

        if (_il.IsDryRun)
        {
            return;
        }

        _module.OffsetMaps[_body.FunctionIndex - _definition.ImportedFunctionCount] = [.. _offsetMap];
        if (_il.Metrics.ExceedsJitLimits)
        {
            var metrics = _il.Metrics;
            _module.Oversized.Add(new OversizedFunction(_body.FunctionIndex, metrics.Bytes, metrics.Locals, metrics.Blocks));
        }
    }

    /// <summary>Compiles instructions until the control stack is back to <paramref name="stopDepth"/> frames (or <paramref name="stopAt"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CompileUntil(ref CodeReader reader, int stopDepth, int stopAt = int.MaxValue)
    {
        var deadDepth = 0;
        var start = reader.Position;

        // A piece starts with no frame of its own: its first instruction opens the region.
        while ((_frames.Count > stopDepth || reader.Position == start) && reader.Position < stopAt)
        {
            _wasmOffset = reader.Position;
            var op = reader.ReadOpcode();
            var frame = _frames[^1];
            if (frame.Unreachable)
            {
                // Dead code: skip it, tracking nesting, until the else/end that closes the current frame. The run that
                // led here ended in a branch (charged) or a trap (never charged), so no fuel is pending.
                _pendingFuel = 0;
                switch (op)
                {
                    case Opcode.Block or Opcode.Loop or Opcode.If:
                        reader.SkipImmediates(op);
                        deadDepth++;
                        continue;
                    case Opcode.Else when deadDepth == 0:
                        EmitElse(frame);
                        continue;
                    case Opcode.End when deadDepth == 0:
                        EmitEnd(frame);
                        _split?.Trace?.Close(_il.Metrics, reader.Position);
                        continue;
                    case Opcode.End:
                        deadDepth--;
                        continue;
                    default:
                        reader.SkipImmediates(op);
                        continue;
                }
            }

            if (_split is not null && TryEmitOutlined(op, ref reader))
            {
                continue;
            }

            var depth = _frames.Count;
            EmitInstruction(op, ref reader, frame);
            if (_frames.Count < depth)
            {
                _split?.Trace?.Close(_il.Metrics, reader.Position);
            }
        }
    }

    /// <summary>
    /// Whether the body has tail calls, and whether it may run other wasm code: calls, and <c>memory.grow</c> and
    /// <c>table.grow</c>, which consult the embedder's resource limiter.
    /// </summary>
    private (bool HasTailCalls, bool CallsOut) ScanBody()
    {
        var reader = new CodeReader(_definition.Bytes, _body.CodeOffset);
        var end = _body.CodeOffset + _body.CodeLength;
        var callsOut = false;
        while (reader.Position < end)
        {
            var op = reader.ReadOpcode();
            if (op is Opcode.ReturnCall or Opcode.ReturnCallIndirect)
            {
                return (true, true);
            }

            callsOut |= op is Opcode.Call or Opcode.CallIndirect or Opcode.MemoryGrow or Opcode.TableGrow;
            reader.SkipImmediates(op);
        }

        return (false, callsOut);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitInstruction(Opcode op, ref CodeReader reader, ControlFrame frame)
    {
        // Engine options that act on every reachable instruction: fuel (docs/fuel.md) and the soft-float NaN tracking.
        if (MeterFuel)
        {
            AccountFuel(op);
        }

        var softFloat = SoftFloatPolicy;
        if (softFloat)
        {
            BeforeSoftFloat(op);
        }

        if (TryEmitControl(op, ref reader, frame)
            || TryEmitVariable(op, ref reader)
            || TryEmitMemory(op, ref reader)
            || TryEmitTable(op, ref reader)
            || TryEmitNumeric(op, ref reader))
        {
            if (softFloat)
            {
                AfterSoftFloat(op);
            }

            return;
        }

        throw new ModuleValidationException($"unsupported instruction 0x{(int)op:x}", _body.FunctionIndex, reader.Position);
    }

    // ----- operand stack -----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Push(ValueKind kind)
    {
        _stack.Add(kind);
        StampPush();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ValueKind Pop()
    {
        var kind = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        if (_ilBase > _stack.Count)
        {
            _ilBase = _stack.Count;
        }

        return kind;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PopMany(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Pop();
        }
    }

    /// <summary>Ensures the top <paramref name="count"/> values are on the IL stack, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Materialize(int count)
    {
        var first = _stack.Count - count;
        if (first >= _ilBase)
        {
            return;
        }

        SpillAll();
        for (var i = first; i < _stack.Count; i++)
        {
            _il.Emit(OpCodes.Ldloc, Slot(i, _stack[i]));
        }

        _ilBase = first;
    }

    /// <summary>Stores every value on the IL stack into its slot, so the IL stack is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SpillAll()
    {
        for (var i = _stack.Count - 1; i >= _ilBase; i--)
        {
            _il.Emit(OpCodes.Stloc, Slot(i, _stack[i]));
        }

        _ilBase = _stack.Count;
    }

    /// <summary>Discards the values on the IL stack (their wasm values are dead).</summary>
    private void DiscardIl()
    {
        for (var i = _stack.Count - 1; i >= _ilBase; i--)
        {
            _il.Emit(OpCodes.Pop);
        }

        _ilBase = _stack.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private LocalBuilder Slot(int depth, ValueKind kind)
    {
        if (!_slots.TryGetValue((depth, kind), out var local))
        {
            local = DeclareLocal(ClrTypes.Of(kind));
            _slots[(depth, kind)] = local;
        }

        return local;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private LocalBuilder RentTemp(Type type)
    {
        if (_temps.TryGetValue(type, out var pool) && pool.Count > 0)
        {
            return pool.Pop();
        }

        return DeclareLocal(type);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReturnTemp(LocalBuilder local)
    {
        if (!_temps.TryGetValue(local.LocalType, out var pool))
        {
            pool = new Stack<LocalBuilder>();
            _temps[local.LocalType] = pool;
        }

        pool.Push(local);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private LocalBuilder DeclareLocal(Type type)
    {
        _localCount++;
        return _il.DeclareLocal(type);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Label DefineLabel()
    {
        _labels++;
        return _il.DefineLabel();
    }

    // ----- members of GenVm.Wasm (see ModuleCompilation.FieldToken) -----

    private void EmitField(OpCode op, System.Reflection.FieldInfo field) => _il.Emit(op, _module.FieldToken(field));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitHelperCall(System.Reflection.MethodInfo method)
    {
        MarkSite();
        _il.Emit(OpCodes.Call, _module.Forwarder(method));
    }

    // ----- traps -----

    /// <summary>Notes that IL from here on belongs to the current wasm instruction (for trap backtraces).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MarkSite()
    {
        var count = _offsetMap.Count;
        if (count >= 2 && _offsetMap[count - 1] == _wasmOffset)
        {
            return;
        }

        _offsetMap.Add(_il.ILOffset);
        _offsetMap.Add(_wasmOffset);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitTrap(TrapCode code)
    {
        MarkSite();
        _il.Emit(OpCodes.Ldc_I4, (int)code);
        EmitHelperCall(Members.TrapCreate);
        _il.Emit(OpCodes.Throw);
    }

    /// <summary>Emits <c>branch ok; trap; ok:</c> (the branch consumes its operands; the stack is unchanged after).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitTrapUnless(OpCode branchWhenOk, TrapCode code)
    {
        var ok = _il.DefineLabel();
        _il.Emit(branchWhenOk, ok);
        EmitTrap(code);
        _il.MarkLabel(ok);
    }

    // ----- prologue / epilogue -----

    private void EmitPrologue(bool hasTailCalls)
    {
        var il = _il;
        _state = DeclareLocal(typeof(Runtime.ExecState));
        il.Emit(OpCodes.Ldarg, _paramCount);
        EmitField(OpCodes.Ldfld, Members.ContextState);
        il.Emit(OpCodes.Stloc, _state);

        // Frame depth (wasm-abi.md §13): the entry function counts; the (max+1)-th active frame traps.
        if (_isLeaf)
        {
            // depth + 1 <= max, without holding the frame (nothing can be pushed on top of a leaf).
            il.Emit(OpCodes.Ldloc, _state);
            EmitField(OpCodes.Ldfld, Members.StateDepth);
            il.Emit(OpCodes.Ldc_I4, _module.MaxCallDepth);
            EmitTrapUnless(OpCodes.Blt, TrapCode.StackOverflow);
        }
        else
        {
            var depth = DeclareLocal(typeof(int));
            il.Emit(OpCodes.Ldloc, _state);
            il.Emit(OpCodes.Ldloc, _state);
            EmitField(OpCodes.Ldfld, Members.StateDepth);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Stloc, depth);
            EmitField(OpCodes.Stfld, Members.StateDepth);
            il.Emit(OpCodes.Ldloc, depth);
            il.Emit(OpCodes.Ldc_I4, _module.MaxCallDepth);
            EmitTrapUnless(OpCodes.Ble, TrapCode.StackOverflow);
        }

        if (_module.Engine.Config.ValueStackBudget is int budget)
        {
            // Value-stack budget (wasm-abi.md §13): the function's static cost is held while it is active.
            _stackCost = _body.Locals.Length + _body.MaxStackHeight;
            if (_stackCost > budget)
            {
                throw new ModuleValidationException("function stack cost exceeds the value-stack budget", _body.FunctionIndex);
            }

            if (_isLeaf)
            {
                // budget - cost >= 0, without holding the cost (EmitLeaveFrame gives nothing back either).
                il.Emit(OpCodes.Ldloc, _state);
                EmitField(OpCodes.Ldfld, Members.StateStackBudget);
                il.Emit(OpCodes.Ldc_I4, _stackCost);
                EmitTrapUnless(OpCodes.Bge, TrapCode.StackOverflow);
                _stackCost = 0;
            }
            else
            {
                var remaining = DeclareLocal(typeof(int));
                il.Emit(OpCodes.Ldloc, _state);
                il.Emit(OpCodes.Ldloc, _state);
                EmitField(OpCodes.Ldfld, Members.StateStackBudget);
                il.Emit(OpCodes.Ldc_I4, _stackCost);
                il.Emit(OpCodes.Sub);
                il.Emit(OpCodes.Dup);
                il.Emit(OpCodes.Stloc, remaining);
                EmitField(OpCodes.Stfld, Members.StateStackBudget);
                il.Emit(OpCodes.Ldloc, remaining);
                il.Emit(OpCodes.Ldc_I4_0);
                EmitTrapUnless(OpCodes.Bge, TrapCode.StackOverflow);
            }
        }

        EmitInterruptCheck();

        // Native stack guard: compare the current stack address with the store's limit. Functions with tail calls
        // avoid address-taken locals (they would block fast tail calls) and ask a helper for the address instead.
        if (!(_isLeaf && _body.Locals.Length + _body.MaxStackHeight <= LeafProbeFreeSlots))
        {
            if (hasTailCalls)
            {
                EmitHelperCall(Members.StackPointer);
            }
            else
            {
                _stackProbe = DeclareLocal(typeof(int));
                il.Emit(OpCodes.Ldloca, _stackProbe);
                il.Emit(OpCodes.Conv_U);
            }

            il.Emit(OpCodes.Ldloc, _state);
            EmitField(OpCodes.Ldfld, Members.StateStackLimit);
            EmitTrapUnless(OpCodes.Bge_Un, TrapCode.StackOverflow);
        }

        if (_module.HasMemory)
        {
            _memoryBase = DeclareLocal(typeof(nint));
            _memoryLength = DeclareLocal(typeof(long));
            il.Emit(OpCodes.Ldarg, _paramCount);
            EmitField(OpCodes.Ldfld, Members.ContextMemory0);
            il.Emit(OpCodes.Dup);
            EmitField(OpCodes.Ldfld, Members.MemoryBase);
            il.Emit(OpCodes.Stloc, _memoryBase);
            EmitField(OpCodes.Ldfld, Members.MemoryLength);
            il.Emit(OpCodes.Stloc, _memoryLength);
        }
    }

    private void EmitInterruptCheck()
    {
        _il.Emit(OpCodes.Ldloc, _state);
        _il.Emit(OpCodes.Volatile);
        EmitField(OpCodes.Ldfld, Members.StateInterrupted);
        EmitTrapUnless(OpCodes.Brfalse, TrapCode.Interrupt);
        if (MeterFuel)
        {
            // Fuel is checked where interruption is: function entries and loop headers.
            EmitFuelCheck();
        }
    }

    /// <summary>Undoes the frame count (before <c>ret</c> and tail calls).</summary>
    private void EmitLeaveFrame()
    {
        if (_isLeaf)
        {
            return;
        }

        _il.Emit(OpCodes.Ldloc, _state);
        _il.Emit(OpCodes.Ldloc, _state);
        EmitField(OpCodes.Ldfld, Members.StateDepth);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Sub);
        EmitField(OpCodes.Stfld, Members.StateDepth);
        if (_stackCost > 0)
        {
            _il.Emit(OpCodes.Ldloc, _state);
            _il.Emit(OpCodes.Ldloc, _state);
            EmitField(OpCodes.Ldfld, Members.StateStackBudget);
            _il.Emit(OpCodes.Ldc_I4, _stackCost);
            _il.Emit(OpCodes.Add);
            EmitField(OpCodes.Stfld, Members.StateStackBudget);
        }
    }

    /// <summary>Callees may grow the memory: refresh the cached length.</summary>
    private void ReloadMemoryLength()
    {
        if (_memoryLength is null)
        {
            return;
        }

        _il.Emit(OpCodes.Ldarg, _paramCount);
        EmitField(OpCodes.Ldfld, Members.ContextMemory0);
        EmitField(OpCodes.Ldfld, Members.MemoryLength);
        _il.Emit(OpCodes.Stloc, _memoryLength);
    }

    /// <summary>The epilogue at the function frame's label: results are in slots 0..n-1.</summary>
    private void EmitReturnFromSlots()
    {
        var results = _type.Results;
        EmitLeaveFrame();
        if (results.Length == 1)
        {
            _il.Emit(OpCodes.Ldloc, Slot(0, results[0]));
        }
        else if (results.Length > 1)
        {
            var values = new LocalBuilder[results.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Slot(i, results[i]);
            }

            StubFactory.EmitPack(_il, ClrTypes.Return(results), values);
        }

        _il.Emit(OpCodes.Ret);
    }
}
