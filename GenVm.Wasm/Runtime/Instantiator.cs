using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// Builds an instance from a compiled module and resolved imports, in the spec's order: allocate functions,
/// tables, memories and globals; evaluate element and data segments; export; apply active element segments, then
/// active data segments (a failing segment traps, earlier writes stay); run the start function.
/// </summary>
internal static class Instantiator
{
    public static Instance Instantiate(Store store, Module module, object[] imports, bool applyDataSegments = true)
    {
        var started = Compilation.PhaseTimings.Start();
        var definition = module.Definition;
        var compiled = module.Compiled;
        var instance = new Instance(store, module);
        var context = (InstanceContext)Activator.CreateInstance(compiled.ContextType)!;
        context.State = store.State;
        context.Instance = instance;
        instance.Context = context;

        var functions = new Func[definition.TotalFunctionCount];
        var tables = new Table[definition.TotalTableCount];
        var memories = new Memory[definition.TotalMemoryCount];
        var globals = new Global?[definition.TotalGlobalCount];
        var globalValues = new Value[definition.TotalGlobalCount];
        int fi = 0, ti = 0, mi = 0, gi = 0;
        foreach (var item in imports)
        {
            switch (item)
            {
                case Func f:
                    compiled.ImportFields[fi].SetValue(context, f);
                    functions[fi++] = f;
                    break;
                case Table t:
                    tables[ti++] = t;
                    break;
                case Memory m:
                    memories[mi++] = m;
                    break;
                case Global g:
                    globals[gi] = g;
                    globalValues[gi++] = g.Value;
                    break;
            }
        }

        var entryPoints = compiled.EntryPoints;
        for (var i = 0; i < definition.FunctionTypeIndices.Count; i++)
        {
            var index = (uint)(definition.ImportedFunctionCount + i);
            functions[index] = Func.ForWasm(store, definition.Types[(int)definition.FunctionTypeIndices[i]], entryPoints[i], context, instance, index);
        }

        context.Functions = functions;
        foreach (var type in definition.Tables)
        {
            tables[ti++] = Table.Create(store, type, Value.Default(type.ElementKind));
        }

        foreach (var type in definition.Memories)
        {
            memories[mi++] = Memory.Create(store, type);
        }

        context.Tables = tables;
        for (var i = 0; i < tables.Length; i++)
        {
            compiled.TableFields[i].SetValue(context, tables[i]);
        }

        context.Memory0 = memories.Length > 0 ? memories[0] : null;
        context.Memories = memories;

        for (var i = 0; i < definition.Globals.Count; i++)
        {
            var index = definition.ImportedGlobalCount + i;
            var global = definition.Globals[i];
            var value = Evaluate(global.Init, globalValues, functions);
            globalValues[index] = value;
            if (!compiled.GlobalIsDirect[index])
            {
                var cell = Global.CreateUninitialized(global.Type);
                cell.SetUnchecked(value);
                globals[index] = cell;
            }
        }

        context.Globals = globals;
        for (var i = 0; i < globals.Length; i++)
        {
            compiled.GlobalFields[i].SetValue(context, compiled.GlobalIsDirect[i] ? ToClr(globalValues[i]) : globals[i]);
        }

        var elements = new object?[definition.Elements.Count][];
        for (var i = 0; i < elements.Length; i++)
        {
            var segment = definition.Elements[i];
            var items = new object?[segment.Items.Count];
            for (var j = 0; j < items.Length; j++)
            {
                items[j] = Evaluate(segment.Items[j], globalValues, functions).Reference;
            }

            elements[i] = items;
        }

        context.Elements = elements;
        var datas = new byte[definition.Datas.Count][];
        for (var i = 0; i < datas.Length; i++)
        {
            var segment = definition.Datas[i];
            datas[i] = segment.Mode == SegmentMode.Passive ? definition.Bytes.AsSpan(segment.DataOffset, segment.DataLength).ToArray() : [];
        }

        context.Datas = datas;

        foreach (var export in definition.Exports)
        {
            object item = export.Kind switch
            {
                ExternKind.Func => functions[export.Index],
                ExternKind.Table => tables[export.Index],
                ExternKind.Memory => memories[export.Index],
                _ => globals[export.Index]!,
            };
            instance.AddExport(export.Name, item);
        }

        for (var i = 0; i < definition.Elements.Count; i++)
        {
            var segment = definition.Elements[i];
            if (segment.Mode == SegmentMode.Active)
            {
                var offset = Evaluate(segment.Offset!, globalValues, functions).I32;
                var items = elements[i];
                var target = tables[segment.TableIndex].Elements;
                if ((ulong)(uint)offset + (ulong)items.Length > (ulong)target.Length)
                {
                    throw new WasmTrapException(TrapCode.TableOutOfBounds);
                }

                Array.Copy(items, 0, target, offset, items.Length);
            }

            if (segment.Mode != SegmentMode.Passive)
            {
                elements[i] = [];
            }
        }

        Compilation.PhaseTimings.Stop("instantiate", started);
        started = Compilation.PhaseTimings.Start();
        for (var i = 0; applyDataSegments && i < definition.Datas.Count; i++)
        {
            var segment = definition.Datas[i];
            if (segment.Mode != SegmentMode.Active)
            {
                continue;
            }

            var offset = (uint)Evaluate(segment.Offset!, globalValues, functions).I32;
            var memory = memories[segment.MemoryIndex];
            if (!memory.TryGetSpan(offset, (ulong)segment.DataLength, out var span))
            {
                throw new WasmTrapException(TrapCode.MemoryOutOfBounds);
            }

            definition.Bytes.AsSpan(segment.DataOffset, segment.DataLength).CopyTo(span);
        }

        Compilation.PhaseTimings.Stop("data segments", started);
        if (definition.StartFunction is uint start)
        {
            functions[start].Invoke([], []);
        }

        return instance;
    }

    private static object? ToClr(Value value) => value.Kind switch
    {
        ValueKind.I32 => value.I32,
        ValueKind.I64 => value.I64,
        ValueKind.F32 => value.F32,
        ValueKind.F64 => value.F64,
        _ => value.Reference,
    };

    /// <summary>Evaluates a constant expression (including the extended-const arithmetic, harmlessly).</summary>
    private static Value Evaluate(ConstExpr expression, Value[] globals, Func[] functions)
    {
        var stack = new Stack<Value>();
        foreach (var instruction in expression.Instructions)
        {
            switch (instruction.Opcode)
            {
                case Opcode.I32Const:
                    stack.Push(Value.FromI32((int)instruction.Bits));
                    break;
                case Opcode.I64Const:
                    stack.Push(Value.FromI64(instruction.Bits));
                    break;
                case Opcode.F32Const:
                    stack.Push(Value.FromF32Bits((int)instruction.Bits));
                    break;
                case Opcode.F64Const:
                    stack.Push(Value.FromF64Bits(instruction.Bits));
                    break;
                case Opcode.RefNull:
                    stack.Push(Value.Default(instruction.RefKind));
                    break;
                case Opcode.RefFunc:
                    stack.Push(Value.FromFuncRef(functions[instruction.Index]));
                    break;
                case Opcode.GlobalGet:
                    stack.Push(globals[instruction.Index]);
                    break;
                case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul:
                {
                    var b = stack.Pop().I32;
                    var a = stack.Pop().I32;
                    stack.Push(Value.FromI32(instruction.Opcode == Opcode.I32Add ? a + b : instruction.Opcode == Opcode.I32Sub ? a - b : a * b));
                    break;
                }

                case Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul:
                {
                    var b = stack.Pop().I64;
                    var a = stack.Pop().I64;
                    stack.Push(Value.FromI64(instruction.Opcode == Opcode.I64Add ? a + b : instruction.Opcode == Opcode.I64Sub ? a - b : a * b));
                    break;
                }

                default:
                    throw new WasmException($"unsupported constant instruction {instruction.Opcode}");
            }
        }

        return stack.Pop();
    }
}
