using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Validation;

/// <summary>
/// Validates function bodies with the spec Appendix "Validation Algorithm": an operand stack of value types
/// (<c>0</c> = Unknown, the bottom type of unreachable code) and a control stack of <see cref="ControlFrame"/>s.
/// Also decodes every instruction (through <see cref="InstructionReader"/>), so malformed instructions surface
/// here as <see cref="ModuleDecodeException"/>. One instance is reused for all bodies of a module: the stacks are
/// allocated once and grown on demand; validating an instruction allocates nothing.
/// </summary>
internal sealed partial class FunctionValidator
{
    private const ValueKind Unknown = 0;

    private static readonly ValueKind[][] SingleTypes = BuildSingleTypes();

    private readonly ValidationContext context;
    private readonly byte[] bytes;
    private ValueKind[] vals = new ValueKind[64];
    private int valCount;
    private ControlFrame[] ctrls = new ControlFrame[16];
    private int ctrlCount;
    private ValueKind[] locals = [];
    private int localCount;
    private int maxHeight;
    private uint functionIndex;
    private int instructionOffset;

    /// <summary>Creates a validator for the bodies of one module.</summary>
    public FunctionValidator(ValidationContext context)
    {
        this.context = context;
        bytes = context.Module.Bytes;
    }

    /// <summary>Validates one body and records its maximum operand-stack height on it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Validate(FunctionBody body)
    {
        functionIndex = body.FunctionIndex;
        var type = context.FunctionTypes[body.FunctionIndex];
        var parameters = ValidationContext.Parameters(type);
        var results = ValidationContext.Results(type);

        localCount = parameters.Length + body.Locals.Length;
        if (locals.Length < localCount)
        {
            locals = new ValueKind[Math.Max(localCount, locals.Length * 2)];
        }

        parameters.CopyTo(locals, 0);
        body.Locals.CopyTo(locals, parameters.Length);
        for (var i = 0; i < localCount; i++)
        {
            CheckValueType(locals[i], body.BodyOffset);
        }

        valCount = 0;
        ctrlCount = 0;
        maxHeight = 0;
        instructionOffset = body.CodeOffset;
        PushCtrl(Opcode.Block, [], results);

        var reader = new InstructionReader(bytes, body.CodeOffset, body.CodeLength);
        while (true)
        {
            if (reader.IsAtEnd)
            {
                // The spec interpreter reads past the body: at the end of the section that is an unexpected end,
                // otherwise it finds the next body's bytes where it wanted the final `end`.
                var end = body.CodeOffset + body.CodeLength;
                throw new ModuleDecodeException(end == context.Module.CodeSectionEnd ? WasmReader.UnexpectedEndOfSection : "END opcode expected", end);
            }

            var op = reader.Read();
            instructionOffset = reader.InstructionOffset;
            if (op == Opcode.End && ctrlCount == 1)
            {
                var frame = PopCtrl();
                _ = frame;
                if (!reader.IsAtEnd)
                {
                    throw new ModuleDecodeException("section size mismatch", reader.Offset);
                }

                break;
            }

            Step(op, ref reader, results);
        }

        body.MaxStackHeight = maxHeight;
    }

    [DoesNotReturn]
    private void Fail(string reason) => throw new ModuleValidationException(reason, functionIndex, instructionOffset);

    private void CheckValueType(ValueKind kind, int offset)
    {
        if (kind == ValueKind.V128)
        {
            throw new ModuleValidationException("unsupported feature: SIMD", functionIndex, offset);
        }

        if (kind is ValueKind.FuncRef or ValueKind.ExternRef && !context.Has(WasmFeatures.ReferenceTypes))
        {
            throw new ModuleValidationException("unsupported feature: reference types", functionIndex, offset);
        }
    }

    private void RequireFeature(WasmFeatures feature, string name)
    {
        if (!context.Has(feature))
        {
            Fail("unsupported feature: " + name);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(ValueKind kind)
    {
        if (valCount == vals.Length)
        {
            Array.Resize(ref vals, vals.Length * 2);
        }

        vals[valCount++] = kind;

        // wasm-abi.md §13: the height counts only reachable code (Cranelift does not translate dead code).
        if (valCount > maxHeight && !ctrls[ctrlCount - 1].Unreachable && !ctrls[ctrlCount - 1].Dead)
        {
            maxHeight = valCount;
        }
    }

    private void PushAll(ValueKind[] kinds)
    {
        foreach (var kind in kinds)
        {
            Push(kind);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueKind Pop()
    {
        ref var frame = ref ctrls[ctrlCount - 1];
        if (valCount == frame.Height)
        {
            if (frame.Unreachable)
            {
                return Unknown;
            }

            Fail("type mismatch");
        }

        return vals[--valCount];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueKind Pop(ValueKind expected)
    {
        var actual = Pop();
        if (actual != expected && actual != Unknown)
        {
            Fail("type mismatch");
        }

        return actual;
    }

    private void PopAll(ValueKind[] kinds)
    {
        for (var i = kinds.Length - 1; i >= 0; i--)
        {
            Pop(kinds[i]);
        }
    }

    /// <summary>Checks that the top of the stack matches <paramref name="kinds"/> without changing it (br_table targets).</summary>
    private void PeekAll(ValueKind[] kinds)
    {
        ref var frame = ref ctrls[ctrlCount - 1];
        for (var i = 0; i < kinds.Length; i++)
        {
            var position = valCount - 1 - i;
            if (position < frame.Height)
            {
                if (frame.Unreachable)
                {
                    continue;
                }

                Fail("type mismatch");
            }

            var actual = vals[position];
            if (actual != Unknown && actual != kinds[kinds.Length - 1 - i])
            {
                Fail("type mismatch");
            }
        }
    }

    private void PushCtrl(Opcode opcode, ValueKind[] start, ValueKind[] end)
    {
        if (ctrlCount == ctrls.Length)
        {
            Array.Resize(ref ctrls, ctrls.Length * 2);
        }

        var dead = ctrlCount > 0 && (ctrls[ctrlCount - 1].Unreachable || ctrls[ctrlCount - 1].Dead);
        ctrls[ctrlCount++] = new ControlFrame { Opcode = opcode, StartTypes = start, EndTypes = end, Height = valCount, Unreachable = false, Dead = dead };
        PushAll(start);
    }

    private ControlFrame PopCtrl()
    {
        var frame = ctrls[ctrlCount - 1];
        PopAll(frame.EndTypes);
        if (valCount != frame.Height)
        {
            Fail("type mismatch");
        }

        ctrlCount--;
        return frame;
    }

    private void MarkUnreachable()
    {
        ref var frame = ref ctrls[ctrlCount - 1];
        valCount = frame.Height;
        frame.Unreachable = true;
    }

    private static ValueKind[][] BuildSingleTypes()
    {
        var table = new ValueKind[256][];
        foreach (var kind in new[] { ValueKind.I32, ValueKind.I64, ValueKind.F32, ValueKind.F64, ValueKind.V128, ValueKind.FuncRef, ValueKind.ExternRef })
        {
            table[(int)kind] = [kind];
        }

        return table;
    }
}
