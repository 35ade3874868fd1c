using System.Diagnostics.SymbolStore;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// An <see cref="ILGenerator"/> that counts what RyuJIT counts before choosing MinOpts (<see cref="IlMetrics"/>).
/// It forwards to the method's real generator, or, for a dry run, emits nothing and only counts (the function
/// splitter measures a function's structured regions that way before deciding what to outline).
/// </summary>
internal sealed class MeteredILGenerator : ILGenerator
{
    private readonly ILGenerator? _inner;
    private int _instructions;
    private int _localRefs;
    private int _blocks = 1;
    private int _bytes;
    private int _locals;
    private int _labels;

    /// <summary>Counts and forwards to <paramref name="inner"/>; null makes a dry run that only counts.</summary>
    public MeteredILGenerator(ILGenerator? inner) => _inner = inner;

    /// <summary>Whether nothing is emitted.</summary>
    public bool IsDryRun => _inner is null;

    /// <summary>The counts so far.</summary>
    public IlMetrics Metrics => new(_instructions, _localRefs, _blocks, ILOffset, _locals);

    public override int ILOffset => _inner?.ILOffset ?? _bytes;

    public override void Emit(OpCode opcode)
    {
        Count(opcode, 0);
        _inner?.Emit(opcode);
    }

    public override void Emit(OpCode opcode, byte arg)
    {
        Count(opcode, 1);
        _inner?.Emit(opcode, arg);
    }

    public override void Emit(OpCode opcode, short arg)
    {
        Count(opcode, 2);
        _inner?.Emit(opcode, arg);
    }

    public override void Emit(OpCode opcode, long arg)
    {
        Count(opcode, 8);
        _inner?.Emit(opcode, arg);
    }

    public override void Emit(OpCode opcode, float arg)
    {
        Count(opcode, 4);
        _inner?.Emit(opcode, arg);
    }

    public override void Emit(OpCode opcode, double arg)
    {
        Count(opcode, 8);
        _inner?.Emit(opcode, arg);
    }

    public override void Emit(OpCode opcode, int arg)
    {
        Count(opcode, opcode.OperandType == OperandType.InlineVar ? 2 : 4);
        _inner?.Emit(opcode, arg);
    }

    public override void Emit(OpCode opcode, MethodInfo meth)
    {
        Count(opcode, 4);
        _inner?.Emit(opcode, meth);
    }

    public override void EmitCalli(OpCode opcode, CallingConventions callingConvention, Type? returnType, Type[]? parameterTypes, Type[]? optionalParameterTypes)
    {
        Count(opcode, 4);
        _inner?.EmitCalli(opcode, callingConvention, returnType, parameterTypes, optionalParameterTypes);
    }

    public override void EmitCalli(OpCode opcode, CallingConvention unmanagedCallConv, Type? returnType, Type[]? parameterTypes)
    {
        Count(opcode, 4);
        _inner?.EmitCalli(opcode, unmanagedCallConv, returnType, parameterTypes);
    }

    public override void EmitCall(OpCode opcode, MethodInfo methodInfo, Type[]? optionalParameterTypes)
    {
        Count(opcode, 4);
        _inner?.EmitCall(opcode, methodInfo, optionalParameterTypes);
    }

    public override void Emit(OpCode opcode, SignatureHelper signature)
    {
        Count(opcode, 4);
        _inner?.Emit(opcode, signature);
    }

    public override void Emit(OpCode opcode, ConstructorInfo con)
    {
        Count(opcode, 4);
        _inner?.Emit(opcode, con);
    }

    public override void Emit(OpCode opcode, Type cls)
    {
        Count(opcode, 4);
        _inner?.Emit(opcode, cls);
    }

    public override void Emit(OpCode opcode, Label label)
    {
        Count(opcode, 4);
        _inner?.Emit(opcode, label);
    }

    public override void Emit(OpCode opcode, Label[] labels)
    {
        Count(opcode, 4 + (4 * labels.Length));
        _inner?.Emit(opcode, labels);
    }

    public override void Emit(OpCode opcode, FieldInfo field)
    {
        Count(opcode, 4);
        _inner?.Emit(opcode, field);
    }

    public override void Emit(OpCode opcode, string str)
    {
        Count(opcode, 4);
        _inner?.Emit(opcode, str);
    }

    public override void Emit(OpCode opcode, LocalBuilder local)
    {
        // The real generator picks the short forms (ldloc.0-3, ldloc.s) from the index.
        Count(opcode, local.LocalIndex < 4 ? -opcode.Size + 1 : local.LocalIndex < 256 ? 1 : 2);
        _inner?.Emit(opcode, local);
    }

    public override Label DefineLabel() => _inner?.DefineLabel() ?? CreateLabel(_labels++);

    public override void MarkLabel(Label loc)
    {
        // A label is a possible branch target, so it may start a basic block.
        _blocks++;
        _inner?.MarkLabel(loc);
    }

    public override LocalBuilder DeclareLocal(Type localType, bool pinned)
    {
        _locals++;
        return _inner?.DeclareLocal(localType, pinned) ?? new DryLocal(localType, _locals - 1, pinned);
    }

    public override Label BeginExceptionBlock() => throw new NotSupportedException();

    public override void EndExceptionBlock() => throw new NotSupportedException();

    public override void BeginExceptFilterBlock() => throw new NotSupportedException();

    public override void BeginCatchBlock(Type? exceptionType) => throw new NotSupportedException();

    public override void BeginFaultBlock() => throw new NotSupportedException();

    public override void BeginFinallyBlock() => throw new NotSupportedException();

    public override void UsingNamespace(string usingNamespace) => throw new NotSupportedException();

    public override void BeginScope() => throw new NotSupportedException();

    public override void EndScope() => throw new NotSupportedException();

    protected override void MarkSequencePointCore(ISymbolDocumentWriter document, int startLine, int startColumn, int endLine, int endColumn) =>
        throw new NotSupportedException();

    private void Count(OpCode opcode, int operandBytes)
    {
        _instructions++;
        _bytes += opcode.Size + operandBytes;
        if (IsLocalReference(opcode))
        {
            _localRefs++;
        }

        // Branches, switch, ret and throw end a basic block.
        if (opcode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Return or FlowControl.Throw)
        {
            _blocks++;
        }
    }

    private static bool IsLocalReference(OpCode opcode) => opcode.OperandType switch
    {
        OperandType.InlineVar or OperandType.ShortInlineVar => true,
        _ => opcode.Value is >= 0x02 and <= 0x0D, // ldarg.0-3, ldloc.0-3, stloc.0-3
    };

    /// <summary>A local of a dry run (never emitted).</summary>
    private sealed class DryLocal(Type type, int index, bool pinned) : LocalBuilder
    {
        public override Type LocalType => type;

        public override int LocalIndex => index;

        public override bool IsPinned => pinned;
    }
}
