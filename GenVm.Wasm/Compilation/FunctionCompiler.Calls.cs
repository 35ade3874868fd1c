using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace GenVm.Wasm.Compilation;

/// <summary>Direct, imported, indirect and tail calls.</summary>
internal sealed partial class FunctionCompiler
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitCall(uint functionIndex, bool tail)
    {
        var type = _definition.GetFunctionType(functionIndex);
        var n = type.Parameters.Length;
        if (tail)
        {
            // tail. requires an IL stack holding exactly the arguments.
            SpillAll();
        }

        Materialize(n);
        MarkSite();
        if (functionIndex < _definition.ImportedFunctionCount)
        {
            // Imports are Func objects (another instance's function or a host stub): calli through their entry point.
            var field = _module.ImportFields[functionIndex];
            EmitSetCaller();
            _il.Emit(OpCodes.Ldarg, _paramCount);
            _il.Emit(OpCodes.Ldfld, field);
            EmitField(OpCodes.Ldfld, Members.FuncTarget);
            _il.Emit(OpCodes.Ldarg, _paramCount);
            _il.Emit(OpCodes.Ldfld, field);
            EmitField(OpCodes.Ldfld, Members.FuncCode);
            EmitCalliStub(type, tail);
        }
        else
        {
            _il.Emit(OpCodes.Ldarg, _paramCount);
            if (tail)
            {
                EmitLeaveFrame();
                _il.Emit(OpCodes.Tailcall);
            }

            _il.Emit(OpCodes.Call, _module.CallTarget((int)functionIndex - _definition.ImportedFunctionCount));
        }

        FinishCall(type, n, tail);
    }

    private void EmitCallIndirect(uint typeIndex, uint tableIndex, bool tail)
    {
        var type = _definition.Types[(int)typeIndex];
        var n = type.Parameters.Length;
        if (tail)
        {
            SpillAll();
        }

        Materialize(n + 1);
        var index = RentTemp(typeof(int));
        _il.Emit(OpCodes.Stloc, index);
        Pop();

        var elements = RentTemp(typeof(object[]));
        _il.Emit(OpCodes.Ldarg, _paramCount);
        _il.Emit(OpCodes.Ldfld, _module.TableFields[tableIndex]);
        EmitField(OpCodes.Ldfld, Members.TableElements);
        _il.Emit(OpCodes.Stloc, elements);
        _il.Emit(OpCodes.Ldloc, index);
        _il.Emit(OpCodes.Ldloc, elements);
        _il.Emit(OpCodes.Ldlen);
        _il.Emit(OpCodes.Conv_I4);
        EmitTrapUnless(OpCodes.Blt_Un, TrapCode.TableOutOfBounds);

        var func = RentTemp(typeof(Func));
        _il.Emit(OpCodes.Ldloc, elements);
        _il.Emit(OpCodes.Ldloc, index);
        _il.Emit(OpCodes.Ldelem_Ref);
        _il.Emit(OpCodes.Stloc, func);
        _il.Emit(OpCodes.Ldloc, func);
        EmitTrapUnless(OpCodes.Brtrue, TrapCode.IndirectCallToNull);
        _il.Emit(OpCodes.Ldloc, func);
        EmitField(OpCodes.Ldfld, Members.FuncSigId);
        _il.Emit(OpCodes.Ldsfld, _module.SignatureIdField((int)typeIndex));
        EmitTrapUnless(OpCodes.Beq, TrapCode.BadSignature);

        EmitSetCaller();
        _il.Emit(OpCodes.Ldloc, func);
        EmitField(OpCodes.Ldfld, Members.FuncTarget);
        _il.Emit(OpCodes.Ldloc, func);
        EmitField(OpCodes.Ldfld, Members.FuncCode);
        ReturnTemp(index);
        ReturnTemp(elements);
        ReturnTemp(func);
        EmitCalliStub(type, tail);
        FinishCall(type, n, tail);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FinishCall(FuncType type, int argumentCount, bool tail)
    {
        if (tail)
        {
            _il.Emit(OpCodes.Ret);
            PopMany(argumentCount);
            return;
        }

        PopMany(argumentCount);
        var results = type.Results;
        if (results.Length == 1)
        {
            Push(results[0]);
        }
        else if (results.Length > 1)
        {
            var tupleType = ClrTypes.Return(results);
            var tuple = RentTemp(tupleType);
            _il.Emit(OpCodes.Stloc, tuple);
            for (var k = 0; k < results.Length; k++)
            {
                _il.Emit(OpCodes.Ldloca, tuple);
                ClrTypes.EmitLoadItem(_il, tupleType, k);
                Push(results[k]);
            }

            ReturnTemp(tuple);
        }

        ReloadMemoryLength();
    }

    /// <summary>With args, target and code on the stack, calls through the module's calli stub for the signature.</summary>
    private void EmitCalliStub(FuncType type, bool tail)
    {
        var stub = _module.CalliStub(type, tail);
        MarkSite();
        if (tail)
        {
            EmitLeaveFrame();
            _il.Emit(OpCodes.Tailcall);
        }

        _il.Emit(OpCodes.Call, stub);
    }

    /// <summary>Records the calling instance for host functions (<see cref="Caller.Instance"/>).</summary>
    /// <remarks>
    /// Stored only when it differs: the field holds a reference, so every store costs a GC write barrier, while
    /// within one instance (the common case: libc's <c>FILE</c> callbacks are indirect calls) it is already right.
    /// </remarks>
    private void EmitSetCaller()
    {
        var same = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, _state);
        EmitField(OpCodes.Ldfld, Members.StateCallerContext);
        _il.Emit(OpCodes.Ldarg, _paramCount);
        _il.Emit(OpCodes.Beq, same);
        _il.Emit(OpCodes.Ldloc, _state);
        _il.Emit(OpCodes.Ldarg, _paramCount);
        EmitField(OpCodes.Stfld, Members.StateCallerContext);
        _il.MarkLabel(same);
    }
}
