using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Validation;

/// <summary>The typing rule of each instruction (spec §3.3 plus the tail-call proposal).</summary>
internal sealed partial class FunctionValidator
{
    private const ValueKind I32 = ValueKind.I32;
    private const ValueKind I64 = ValueKind.I64;
    private const ValueKind F32 = ValueKind.F32;
    private const ValueKind F64 = ValueKind.F64;

    // Loads and stores 0x28..0x3E: value type and natural alignment exponent.
    private static readonly ValueKind[] MemoryValueType =
    [
        I32, I64, F32, F64, I32, I32, I32, I32, I64, I64, I64, I64, I64, I64,
        I32, I64, F32, F64, I32, I32, I64, I64, I64,
    ];

    private static readonly byte[] NaturalAlignment =
    [
        2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2,
        2, 3, 2, 3, 0, 1, 0, 1, 2,
    ];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Step(Opcode op, ref InstructionReader reader, ValueKind[] functionResults)
    {
        var code = (int)op;
        if (code is >= 0x45 and <= 0xC4)
        {
            if (code >= 0xC0)
            {
                RequireFeature(WasmFeatures.SignExtension, "sign extension");
            }

            var operand2 = NumericSignatures.Operand2[code];
            if (operand2 != 0)
            {
                Pop(operand2);
            }

            Pop(NumericSignatures.Operand1[code]);
            Push(NumericSignatures.Result[code]);
            return;
        }

        if (code is >= 0x28 and <= 0x3E)
        {
            RequireMemory(0);
            var i = code - 0x28;
            if (reader.MemArg.Align > NaturalAlignment[i])
            {
                Fail("alignment must not be larger than natural");
            }

            if (code <= 0x35)
            {
                Pop(I32);
                Push(MemoryValueType[i]);
            }
            else
            {
                Pop(MemoryValueType[i]);
                Pop(I32);
            }

            return;
        }

        switch (op)
        {
            case Opcode.Unreachable:
                MarkUnreachable();
                break;
            case Opcode.Nop:
                break;
            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.If:
                {
                    var (start, end) = BlockTypes(reader.BlockType);
                    if (op == Opcode.If)
                    {
                        Pop(I32);
                    }

                    PopAll(start);
                    PushCtrl(op, start, end);
                    break;
                }

            case Opcode.Else:
                {
                    if (ctrls[ctrlCount - 1].Opcode != Opcode.If)
                    {
                        Fail("else without matching if");
                    }

                    var frame = PopCtrl();
                    PushCtrl(Opcode.Else, frame.StartTypes, frame.EndTypes);
                    break;
                }

            case Opcode.End:
                {
                    var frame = PopCtrl();

                    // An `if` without `else` has an implicit empty else: it must map the parameters to the results.
                    if (frame.Opcode == Opcode.If && !frame.StartTypes.AsSpan().SequenceEqual(frame.EndTypes))
                    {
                        Fail("type mismatch");
                    }

                    PushAll(frame.EndTypes);
                    break;
                }

            case Opcode.Br:
                PopAll(Label(reader.Index).LabelTypes);
                MarkUnreachable();
                break;
            case Opcode.BrIf:
                {
                    Pop(I32);
                    var types = Label(reader.Index).LabelTypes;
                    PopAll(types);
                    PushAll(types);
                    break;
                }

            case Opcode.BrTable:
                {
                    Pop(I32);
                    var defaultTypes = Label(reader.BrTableDefault).LabelTypes;
                    var arity = defaultTypes.Length;
                    foreach (var target in reader.BrTableTargets)
                    {
                        var types = Label(target).LabelTypes;
                        if (types.Length != arity)
                        {
                            Fail("type mismatch");
                        }

                        PeekAll(types);
                    }

                    PopAll(defaultTypes);
                    MarkUnreachable();
                    break;
                }

            case Opcode.Return:
                PopAll(functionResults);
                MarkUnreachable();
                break;
            case Opcode.Call:
                {
                    var type = Function(reader.Index);
                    PopAll(ValidationContext.Parameters(type));
                    PushAll(ValidationContext.Results(type));
                    break;
                }

            case Opcode.CallIndirect:
                {
                    var type = IndirectCallType(ref reader);
                    Pop(I32);
                    PopAll(ValidationContext.Parameters(type));
                    PushAll(ValidationContext.Results(type));
                    break;
                }

            case Opcode.ReturnCall:
                {
                    RequireFeature(WasmFeatures.TailCall, "tail calls");
                    var type = Function(reader.Index);
                    CheckTailCallResults(type, functionResults);
                    PopAll(ValidationContext.Parameters(type));
                    MarkUnreachable();
                    break;
                }

            case Opcode.ReturnCallIndirect:
                {
                    RequireFeature(WasmFeatures.TailCall, "tail calls");
                    var type = IndirectCallType(ref reader);
                    CheckTailCallResults(type, functionResults);
                    Pop(I32);
                    PopAll(ValidationContext.Parameters(type));
                    MarkUnreachable();
                    break;
                }

            case Opcode.Drop:
                Pop();
                break;
            case Opcode.Select:
                {
                    Pop(I32);
                    var t1 = Pop();
                    var t2 = Pop();
                    if (!IsNumericOrVector(t1) || !IsNumericOrVector(t2))
                    {
                        Fail("type mismatch");
                    }

                    if (t1 != t2 && t1 != Unknown && t2 != Unknown)
                    {
                        Fail("type mismatch");
                    }

                    Push(t1 == Unknown ? t2 : t1);
                    break;
                }

            case Opcode.SelectTyped:
                {
                    RequireFeature(WasmFeatures.ReferenceTypes, "reference types");
                    if (reader.SelectTypeCount != 1)
                    {
                        Fail("invalid result arity");
                    }

                    var t = reader.ValueType;
                    CheckValueType(t, instructionOffset);
                    Pop(I32);
                    Pop(t);
                    Pop(t);
                    Push(t);
                    break;
                }

            case Opcode.LocalGet:
                Push(Local(reader.Index));
                break;
            case Opcode.LocalSet:
                Pop(Local(reader.Index));
                break;
            case Opcode.LocalTee:
                {
                    var t = Local(reader.Index);
                    Pop(t);
                    Push(t);
                    break;
                }

            case Opcode.GlobalGet:
                Push(Global(reader.Index).Kind);
                break;
            case Opcode.GlobalSet:
                {
                    var global = Global(reader.Index);
                    if (!global.Mutable)
                    {
                        Fail("global is immutable");
                    }

                    Pop(global.Kind);
                    break;
                }

            case Opcode.TableGet:
                RequireFeature(WasmFeatures.ReferenceTypes, "reference types");
                Pop(I32);
                Push(Table(reader.Index).ElementKind);
                break;
            case Opcode.TableSet:
                {
                    RequireFeature(WasmFeatures.ReferenceTypes, "reference types");
                    var kind = Table(reader.Index).ElementKind;
                    Pop(kind);
                    Pop(I32);
                    break;
                }

            case Opcode.MemorySize:
                RequireMemory(0);
                Push(I32);
                break;
            case Opcode.MemoryGrow:
                RequireMemory(0);
                Pop(I32);
                Push(I32);
                break;
            case Opcode.I32Const:
                Push(I32);
                break;
            case Opcode.I64Const:
                Push(I64);
                break;
            case Opcode.F32Const:
                Push(F32);
                break;
            case Opcode.F64Const:
                Push(F64);
                break;
            case Opcode.RefNull:
                RequireFeature(WasmFeatures.ReferenceTypes, "reference types");
                Push(reader.ValueType);
                break;
            case Opcode.RefIsNull:
                {
                    RequireFeature(WasmFeatures.ReferenceTypes, "reference types");
                    var t = Pop();
                    if (t != Unknown && t != ValueKind.FuncRef && t != ValueKind.ExternRef)
                    {
                        Fail("type mismatch");
                    }

                    Push(I32);
                    break;
                }

            case Opcode.RefFunc:
                RequireFeature(WasmFeatures.ReferenceTypes, "reference types");
                Function(reader.Index);
                if (!context.DeclaredFunctions[reader.Index])
                {
                    Fail("undeclared function reference");
                }

                Push(ValueKind.FuncRef);
                break;
            case >= Opcode.I32TruncSatF32S and <= Opcode.I64TruncSatF64U:
                {
                    RequireFeature(WasmFeatures.SaturatingFloatToInt, "saturating float-to-int conversions");
                    var i = code - 0xFC00;
                    Pop(NumericSignatures.SaturatingOperand[i]);
                    Push(NumericSignatures.SaturatingResult[i]);
                    break;
                }

            case Opcode.MemoryInit:
                RequireFeature(WasmFeatures.BulkMemory, "bulk memory");
                RequireMemory(0);
                DataSegment(reader.Index);
                Pop(I32);
                Pop(I32);
                Pop(I32);
                break;
            case Opcode.DataDrop:
                RequireFeature(WasmFeatures.BulkMemory, "bulk memory");
                DataSegment(reader.Index);
                break;
            case Opcode.MemoryCopy:
            case Opcode.MemoryFill:
                RequireFeature(WasmFeatures.BulkMemory, "bulk memory");
                RequireMemory(0);
                Pop(I32);
                Pop(I32);
                Pop(I32);
                break;
            case Opcode.TableInit:
                {
                    RequireFeature(WasmFeatures.BulkMemory, "bulk memory");
                    var table = Table(reader.Index2);
                    var segment = ElementSegment(reader.Index);
                    if (segment.ElementKind != table.ElementKind)
                    {
                        Fail("type mismatch");
                    }

                    Pop(I32);
                    Pop(I32);
                    Pop(I32);
                    break;
                }

            case Opcode.ElemDrop:
                RequireFeature(WasmFeatures.BulkMemory, "bulk memory");
                ElementSegment(reader.Index);
                break;
            case Opcode.TableCopy:
                {
                    RequireFeature(WasmFeatures.BulkMemory, "bulk memory");
                    var destination = Table(reader.Index);
                    var source = Table(reader.Index2);
                    if (destination.ElementKind != source.ElementKind)
                    {
                        Fail("type mismatch");
                    }

                    Pop(I32);
                    Pop(I32);
                    Pop(I32);
                    break;
                }

            case Opcode.TableGrow:
                {
                    RequireFeature(WasmFeatures.ReferenceTypes, "reference types");
                    var kind = Table(reader.Index).ElementKind;
                    Pop(I32);
                    Pop(kind);
                    Push(I32);
                    break;
                }

            case Opcode.TableSize:
                RequireFeature(WasmFeatures.ReferenceTypes, "reference types");
                Table(reader.Index);
                Push(I32);
                break;
            case Opcode.TableFill:
                {
                    RequireFeature(WasmFeatures.ReferenceTypes, "reference types");
                    var kind = Table(reader.Index).ElementKind;
                    Pop(I32);
                    Pop(kind);
                    Pop(I32);
                    break;
                }

            default:
                // InstructionReader only returns the opcodes handled above.
                Fail("illegal opcode");
                break;
        }
    }

    private static bool IsNumericOrVector(ValueKind kind) => kind is Unknown or I32 or I64 or F32 or F64 or ValueKind.V128;

    private (ValueKind[] Start, ValueKind[] End) BlockTypes(BlockType blockType)
    {
        switch (blockType.Kind)
        {
            case BlockTypeKind.Empty:
                return ([], []);
            case BlockTypeKind.Value:
                CheckValueType(blockType.ValueType, instructionOffset);
                return ([], SingleTypes[(int)blockType.ValueType]);
            default:
                RequireFeature(WasmFeatures.MultiValue, "multi-value");
                if (blockType.TypeIndex >= (uint)context.Module.Types.Count)
                {
                    Fail($"unknown type {blockType.TypeIndex}");
                }

                var type = context.Module.Types[(int)blockType.TypeIndex];
                return (ValidationContext.Parameters(type), ValidationContext.Results(type));
        }
    }

    private ref ControlFrame Label(uint depth)
    {
        if (depth >= (uint)ctrlCount)
        {
            Fail($"unknown label {depth}");
        }

        return ref ctrls[ctrlCount - 1 - (int)depth];
    }

    private FuncType Function(uint index)
    {
        if (index >= (uint)context.FunctionTypes.Length)
        {
            Fail($"unknown function {index}");
        }

        return context.FunctionTypes[index];
    }

    private FuncType IndirectCallType(ref InstructionReader reader)
    {
        if (reader.Index2 != 0)
        {
            RequireFeature(WasmFeatures.ReferenceTypes, "reference types");
        }

        var table = Table(reader.Index2);
        if (table.ElementKind != ValueKind.FuncRef)
        {
            Fail("type mismatch");
        }

        if (reader.Index >= (uint)context.Module.Types.Count)
        {
            Fail($"unknown type {reader.Index}");
        }

        return context.Module.Types[(int)reader.Index];
    }

    private void CheckTailCallResults(FuncType callee, ValueKind[] functionResults)
    {
        if (!ValidationContext.Results(callee).AsSpan().SequenceEqual(functionResults))
        {
            Fail("type mismatch");
        }
    }

    private ValueKind Local(uint index)
    {
        if (index >= (uint)localCount)
        {
            Fail($"unknown local {index}");
        }

        return locals[index];
    }

    private GlobalType Global(uint index)
    {
        if (index >= (uint)context.Globals.Length)
        {
            Fail($"unknown global {index}");
        }

        return context.Globals[index];
    }

    private TableType Table(uint index)
    {
        if (index >= (uint)context.Tables.Length)
        {
            Fail($"unknown table {index}");
        }

        return context.Tables[index];
    }

    private void RequireMemory(uint index)
    {
        if (index >= (uint)context.MemoryCount)
        {
            Fail($"unknown memory {index}");
        }
    }

    private void DataSegment(uint index)
    {
        // Binary format §5.5.13: memory.init and data.drop need the data count section (a decode-time rule; the
        // spec interpreter reports it as malformed).
        if (context.Module.DataCount is not uint count)
        {
            throw new ModuleDecodeException("data count section required", instructionOffset);
        }

        if (index >= count)
        {
            Fail($"unknown data segment {index}");
        }
    }

    private ElementSegment ElementSegment(uint index)
    {
        if (index >= (uint)context.Module.Elements.Count)
        {
            Fail($"unknown elem segment {index}");
        }

        return context.Module.Elements[(int)index];
    }
}
