using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>Locals, globals, linear memory, tables and references.</summary>
internal sealed partial class FunctionCompiler
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryEmitVariable(Opcode op, ref CodeReader reader)
    {
        switch (op)
        {
            case Opcode.LocalGet:
            {
                var index = (int)reader.ReadU32();
                EmitLoadLocal(index);
                Push(_localKinds[index]);
                NoteLocalValue(index);
                return true;
            }

            case Opcode.LocalSet:
            case Opcode.LocalTee:
            {
                var index = (int)reader.ReadU32();
                Materialize(1);
                if (op == Opcode.LocalTee)
                {
                    _il.Emit(OpCodes.Dup);
                }
                else
                {
                    Pop();
                }

                NoteLocalWrite(index);
                EmitStoreLocal(index);
                if (op == Opcode.LocalTee)
                {
                    NoteLocalValue(index);
                }

                return true;
            }

            case Opcode.GlobalGet:
                EmitGlobalGet((int)reader.ReadU32());
                return true;
            case Opcode.GlobalSet:
                EmitGlobalSet((int)reader.ReadU32());
                return true;
            case Opcode.RefNull:
                Push((ValueKind)reader.ReadByte());
                _il.Emit(OpCodes.Ldnull);
                return true;
            case Opcode.RefIsNull:
                Materialize(1);
                Pop();
                _il.Emit(OpCodes.Ldnull);
                _il.Emit(OpCodes.Ceq);
                Push(ValueKind.I32);
                return true;
            case Opcode.RefFunc:
                _il.Emit(OpCodes.Ldarg, _paramCount);
                EmitField(OpCodes.Ldfld, Members.ContextFunctions);
                _il.Emit(OpCodes.Ldc_I4, (int)reader.ReadU32());
                _il.Emit(OpCodes.Ldelem_Ref);
                Push(ValueKind.FuncRef);
                return true;
            default:
                return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitGlobalGet(int index)
    {
        var kind = _definition.GetGlobalType((uint)index).Kind;
        _il.Emit(OpCodes.Ldarg, _paramCount);
        _il.Emit(OpCodes.Ldfld, _module.GlobalFields[index]);
        if (!_module.GlobalIsDirect[index])
        {
            switch (kind)
            {
                case ValueKind.I32:
                    EmitField(OpCodes.Ldfld, Members.GlobalBits);
                    _il.Emit(OpCodes.Conv_I4);
                    break;
                case ValueKind.I64:
                    EmitField(OpCodes.Ldfld, Members.GlobalBits);
                    break;
                case ValueKind.F32:
                    EmitField(OpCodes.Ldflda, Members.GlobalBits);
                    _il.Emit(OpCodes.Ldind_R4);
                    break;
                case ValueKind.F64:
                    EmitField(OpCodes.Ldflda, Members.GlobalBits);
                    _il.Emit(OpCodes.Ldind_R8);
                    break;
                default:
                    EmitField(OpCodes.Ldfld, Members.GlobalRef);
                    break;
            }
        }

        Push(kind);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitGlobalSet(int index)
    {
        var kind = _definition.GetGlobalType((uint)index).Kind;
        Materialize(1);
        var value = RentTemp(ClrTypes.Of(kind));
        _il.Emit(OpCodes.Stloc, value);
        Pop();
        _il.Emit(OpCodes.Ldarg, _paramCount);
        if (_module.GlobalIsDirect[index])
        {
            _il.Emit(OpCodes.Ldloc, value);
            _il.Emit(OpCodes.Stfld, _module.GlobalFields[index]);
        }
        else
        {
            _il.Emit(OpCodes.Ldfld, _module.GlobalFields[index]);
            switch (kind)
            {
                case ValueKind.I32:
                    _il.Emit(OpCodes.Ldloc, value);
                    _il.Emit(OpCodes.Conv_U8);
                    EmitField(OpCodes.Stfld, Members.GlobalBits);
                    break;
                case ValueKind.I64:
                    _il.Emit(OpCodes.Ldloc, value);
                    EmitField(OpCodes.Stfld, Members.GlobalBits);
                    break;
                case ValueKind.F32:
                    EmitField(OpCodes.Ldflda, Members.GlobalBits);
                    _il.Emit(OpCodes.Ldloc, value);
                    _il.Emit(OpCodes.Stind_R4);
                    break;
                case ValueKind.F64:
                    EmitField(OpCodes.Ldflda, Members.GlobalBits);
                    _il.Emit(OpCodes.Ldloc, value);
                    _il.Emit(OpCodes.Stind_R8);
                    break;
                default:
                    _il.Emit(OpCodes.Ldloc, value);
                    EmitField(OpCodes.Stfld, Members.GlobalRef);
                    break;
            }
        }

        ReturnTemp(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryEmitMemory(Opcode op, ref CodeReader reader)
    {
        switch (op)
        {
            case >= Opcode.I32Load and <= Opcode.I64Load32U:
            {
                reader.ReadU32();
                var offset = reader.ReadU32();
                var (size, kind) = LoadShape(op);
                Materialize(1);
                var local = LocalAt(_stack.Count - 1);
                Pop();
                EmitEffectiveAddress(offset, size, local);
                EmitLoadIndirect(op);
                Push(kind);
                return true;
            }

            case >= Opcode.I32Store and <= Opcode.I64Store32:
            {
                reader.ReadU32();
                var offset = reader.ReadU32();
                Materialize(2);
                var kind = _stack[^1];
                var value = RentTemp(ClrTypes.Of(kind));
                _il.Emit(OpCodes.Stloc, value);
                var local = LocalAt(_stack.Count - 2);
                Pop();
                Pop();
                EmitEffectiveAddress(offset, StoreSize(op), local);
                _il.Emit(OpCodes.Ldloc, value);
                EmitStoreIndirect(op);
                ReturnTemp(value);
                return true;
            }

            case Opcode.MemorySize:
                reader.ReadU32();
                _il.Emit(OpCodes.Ldloc, _memoryLength!);
                _il.Emit(OpCodes.Ldc_I4, 16);
                _il.Emit(OpCodes.Shr_Un);
                _il.Emit(OpCodes.Conv_I4);
                Push(ValueKind.I32);
                return true;
            case Opcode.MemoryGrow:
                reader.ReadU32();
                Materialize(1);
                EmitMemory0();
                EmitHelperCall(Members.Bulk(nameof(Runtime.BulkOps.MemoryGrow)));
                ReloadMemoryLength();
                return true;
            case Opcode.MemoryInit:
            {
                var segment = (int)reader.ReadU32();
                reader.ReadU32();
                Materialize(3);
                PopMany(3);
                _il.Emit(OpCodes.Ldc_I4, segment);
                _il.Emit(OpCodes.Ldarg, _paramCount);
                EmitHelperCall(Members.Bulk(nameof(Runtime.BulkOps.MemoryInit)));
                return true;
            }

            case Opcode.DataDrop:
                _il.Emit(OpCodes.Ldc_I4, (int)reader.ReadU32());
                _il.Emit(OpCodes.Ldarg, _paramCount);
                EmitHelperCall(Members.Bulk(nameof(Runtime.BulkOps.DataDrop)));
                return true;
            case Opcode.MemoryCopy:
            case Opcode.MemoryFill:
                reader.SkipImmediates(op);
                Materialize(3);
                PopMany(3);
                EmitMemory0();
                EmitHelperCall(Members.Bulk(op == Opcode.MemoryCopy ? nameof(Runtime.BulkOps.MemoryCopy) : nameof(Runtime.BulkOps.MemoryFill)));
                return true;
            default:
                return false;
        }
    }

    private void EmitMemory0()
    {
        _il.Emit(OpCodes.Ldarg, _paramCount);
        EmitField(OpCodes.Ldfld, Members.ContextMemory0);
    }

    /// <summary>
    /// Turns the i32 address on the stack into a native pointer after checking, in 64 bits so nothing wraps, that
    /// <c>address + offset + size &lt;= length</c>; traps <see cref="TrapCode.MemoryOutOfBounds"/> otherwise.
    /// </summary>
    /// <remarks>
    /// The test is written <c>address &lt;= length - (offset + size)</c>, signed (the right side is negative while the
    /// memory is smaller than the access; neither side can overflow 64 bits): the right side is loop-invariant, so
    /// RyuJIT hoists and shares it, and each access costs one compare and branch instead of add, compare and branch.
    /// <para>
    /// <paramref name="local"/> is the wasm local whose current value the address is (-1 if none): an access through it
    /// already covered by an earlier check needs none (FunctionCompiler.CheckedExtents.cs).
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitEffectiveAddress(uint offset, int size, int local = -1)
    {
        if (AccessIsProven || ExtentIsChecked(local, (long)offset + size))
        {
            // In a versioned loop's guarded copy (FunctionCompiler.LoopVersions.cs): the guard covered this access;
            // or an earlier check of the same value covered it.
            _il.Emit(OpCodes.Conv_U);
        }
        else
        {
            NoteChecked(local, (long)offset + size);
            _il.Emit(OpCodes.Conv_U8);
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Ldloc, _memoryLength!);
            _il.Emit(OpCodes.Ldc_I8, (long)offset + size);
            _il.Emit(OpCodes.Sub);
            EmitTrapUnless(OpCodes.Ble, TrapCode.MemoryOutOfBounds);
            _il.Emit(OpCodes.Conv_U);
        }

        _il.Emit(OpCodes.Ldloc, _memoryBase!);
        _il.Emit(OpCodes.Add);
        if (offset != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)offset);
            _il.Emit(OpCodes.Conv_U);
            _il.Emit(OpCodes.Add);
        }
    }

    private static (int Size, ValueKind Kind) LoadShape(Opcode op) => op switch
    {
        Opcode.I32Load => (4, ValueKind.I32),
        Opcode.I64Load => (8, ValueKind.I64),
        Opcode.F32Load => (4, ValueKind.F32),
        Opcode.F64Load => (8, ValueKind.F64),
        Opcode.I32Load8S or Opcode.I32Load8U => (1, ValueKind.I32),
        Opcode.I32Load16S or Opcode.I32Load16U => (2, ValueKind.I32),
        Opcode.I64Load8S or Opcode.I64Load8U => (1, ValueKind.I64),
        Opcode.I64Load16S or Opcode.I64Load16U => (2, ValueKind.I64),
        _ => (4, ValueKind.I64),
    };

    private static int StoreSize(Opcode op) => op switch
    {
        Opcode.I32Store or Opcode.F32Store or Opcode.I64Store32 => 4,
        Opcode.I64Store or Opcode.F64Store => 8,
        Opcode.I32Store8 or Opcode.I64Store8 => 1,
        _ => 2,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitLoadIndirect(Opcode op)
    {
        switch (op)
        {
            case Opcode.I32Load: _il.Emit(OpCodes.Ldind_I4); break;
            case Opcode.I64Load: _il.Emit(OpCodes.Ldind_I8); break;
            case Opcode.F32Load: _il.Emit(OpCodes.Ldind_R4); break;
            case Opcode.F64Load: _il.Emit(OpCodes.Ldind_R8); break;
            case Opcode.I32Load8S: _il.Emit(OpCodes.Ldind_I1); break;
            case Opcode.I32Load8U: _il.Emit(OpCodes.Ldind_U1); break;
            case Opcode.I32Load16S: _il.Emit(OpCodes.Ldind_I2); break;
            case Opcode.I32Load16U: _il.Emit(OpCodes.Ldind_U2); break;
            case Opcode.I64Load8S: _il.Emit(OpCodes.Ldind_I1); _il.Emit(OpCodes.Conv_I8); break;
            case Opcode.I64Load8U: _il.Emit(OpCodes.Ldind_U1); _il.Emit(OpCodes.Conv_U8); break;
            case Opcode.I64Load16S: _il.Emit(OpCodes.Ldind_I2); _il.Emit(OpCodes.Conv_I8); break;
            case Opcode.I64Load16U: _il.Emit(OpCodes.Ldind_U2); _il.Emit(OpCodes.Conv_U8); break;
            case Opcode.I64Load32S: _il.Emit(OpCodes.Ldind_I4); _il.Emit(OpCodes.Conv_I8); break;
            default: _il.Emit(OpCodes.Ldind_U4); _il.Emit(OpCodes.Conv_U8); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitStoreIndirect(Opcode op)
    {
        switch (op)
        {
            case Opcode.I32Store: _il.Emit(OpCodes.Stind_I4); break;
            case Opcode.I64Store: _il.Emit(OpCodes.Stind_I8); break;
            case Opcode.F32Store: _il.Emit(OpCodes.Stind_R4); break;
            case Opcode.F64Store: _il.Emit(OpCodes.Stind_R8); break;
            case Opcode.I32Store8: _il.Emit(OpCodes.Stind_I1); break;
            case Opcode.I32Store16: _il.Emit(OpCodes.Stind_I2); break;
            case Opcode.I64Store8: _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Stind_I1); break;
            case Opcode.I64Store16: _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Stind_I2); break;
            default: _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Stind_I4); break;
        }
    }

    private bool TryEmitTable(Opcode op, ref CodeReader reader)
    {
        switch (op)
        {
            case Opcode.TableGet:
            {
                var table = reader.ReadU32();
                Materialize(1);
                Pop();
                EmitTableField(table);
                EmitHelperCall(Members.Bulk(nameof(Runtime.BulkOps.TableGet)));
                Push(_definition.GetTableType(table).ElementKind);
                return true;
            }

            case Opcode.TableSet:
                EmitTableCall(reader.ReadU32(), 2, nameof(Runtime.BulkOps.TableSet), false);
                return true;
            case Opcode.TableSize:
                EmitTableCall(reader.ReadU32(), 0, nameof(Runtime.BulkOps.TableSize), true);
                return true;
            case Opcode.TableGrow:
                EmitTableCall(reader.ReadU32(), 2, nameof(Runtime.BulkOps.TableGrow), true);
                return true;
            case Opcode.TableFill:
                EmitTableCall(reader.ReadU32(), 3, nameof(Runtime.BulkOps.TableFill), false);
                return true;
            case Opcode.TableCopy:
            {
                var destination = (int)reader.ReadU32();
                var source = (int)reader.ReadU32();
                Materialize(3);
                PopMany(3);
                _il.Emit(OpCodes.Ldc_I4, destination);
                _il.Emit(OpCodes.Ldc_I4, source);
                _il.Emit(OpCodes.Ldarg, _paramCount);
                EmitHelperCall(Members.Bulk(nameof(Runtime.BulkOps.TableCopy)));
                return true;
            }

            case Opcode.TableInit:
            {
                var segment = (int)reader.ReadU32();
                var table = (int)reader.ReadU32();
                Materialize(3);
                PopMany(3);
                _il.Emit(OpCodes.Ldc_I4, segment);
                _il.Emit(OpCodes.Ldc_I4, table);
                _il.Emit(OpCodes.Ldarg, _paramCount);
                EmitHelperCall(Members.Bulk(nameof(Runtime.BulkOps.TableInit)));
                return true;
            }

            case Opcode.ElemDrop:
                _il.Emit(OpCodes.Ldc_I4, (int)reader.ReadU32());
                _il.Emit(OpCodes.Ldarg, _paramCount);
                EmitHelperCall(Members.Bulk(nameof(Runtime.BulkOps.ElemDrop)));
                return true;
            default:
                return false;
        }
    }

    private void EmitTableField(uint table)
    {
        _il.Emit(OpCodes.Ldarg, _paramCount);
        _il.Emit(OpCodes.Ldfld, _module.TableFields[table]);
    }

    private void EmitTableCall(uint table, int operands, string helper, bool returnsI32)
    {
        Materialize(operands);
        PopMany(operands);
        EmitTableField(table);
        EmitHelperCall(Members.Bulk(helper));
        if (returnsI32)
        {
            Push(ValueKind.I32);
        }
    }
}
