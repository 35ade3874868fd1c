using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using GenVm.Wasm.Runtime;

namespace GenVm.Wasm.Compilation;

/// <summary>Calls a compiled function (entry point <c>code</c>, context <c>target</c>) with marshalled values.</summary>
internal delegate void EntryStub(nint code, object target, Value[] args, Value[] results);

/// <summary>
/// Per-signature glue, emitted once per process: the entry stub (host → compiled code, <see cref="Value"/>
/// marshalling) and the host stub (compiled code → <see cref="HostCallback"/>, same calling convention as compiled
/// functions so <c>call_indirect</c> and imports reach host functions through the same <c>calli</c>).
/// </summary>
internal static class StubFactory
{
    private static readonly ConcurrentDictionary<FuncType, (EntryStub Entry, nint Host)> Cache = new();
    private static readonly Lock Gate = new();
    private static ModuleBuilder? s_module;
    private static int s_counter;

    /// <summary>The entry stub of a signature.</summary>
    public static EntryStub GetEntry(FuncType type) => Get(type).Entry;

    /// <summary>The native entry point of the host stub of a signature.</summary>
    public static nint GetHostStub(FuncType type) => Get(type).Host;

    /// <summary>Emits a call of a compiled function through a function pointer: stack holds args..., target, code.</summary>
    public static void EmitCalli(ILGenerator il, FuncType type) =>
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, ClrTypes.Return(type.Results), ClrTypes.Parameters(type, typeof(object)), null);

    /// <summary>Declares a local of the tuple type and packs the values of <paramref name="values"/> into it; pushes the tuple.</summary>
    public static void EmitPack(ILGenerator il, Type tuple, LocalBuilder[] values)
    {
        var local = il.DeclareLocal(tuple);
        il.Emit(OpCodes.Ldloca, local);
        il.Emit(OpCodes.Initobj, tuple);
        for (var k = 0; k < values.Length; k++)
        {
            il.Emit(OpCodes.Ldloca, local);
            ClrTypes.EmitItemAddress(il, tuple, k);
            il.Emit(OpCodes.Ldloc, values[k]);
            il.Emit(OpCodes.Stfld, ClrTypes.ItemField(tuple, k));
        }

        il.Emit(OpCodes.Ldloc, local);
    }

    private static (EntryStub Entry, nint Host) Get(FuncType type)
    {
        if (Cache.TryGetValue(type, out var stubs))
        {
            return stubs;
        }

        lock (Gate)
        {
            if (Cache.TryGetValue(type, out stubs))
            {
                return stubs;
            }

            stubs = Emit(type);
            Cache[type] = stubs;
            return stubs;
        }
    }

    private static (EntryStub Entry, nint Host) Emit(FuncType type)
    {
        if (s_module is null)
        {
            var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("GenVm.Wasm.Stubs"), AssemblyBuilderAccess.Run);
            AccessChecks.Apply(assembly);
            s_module = assembly.DefineDynamicModule("GenVm.Wasm.Stubs");
        }

        var builder = s_module.DefineType("Stub" + (++s_counter), TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
        EmitEntry(builder, type);
        EmitHost(builder, type);
        var created = builder.CreateType();
        var entry = created.GetMethod("Entry")!.CreateDelegate<EntryStub>();
        var host = created.GetMethod("Host")!;
        RuntimeHelpers.PrepareMethod(host.MethodHandle);
        return (entry, host.MethodHandle.GetFunctionPointer());
    }

    private static void EmitEntry(TypeBuilder builder, FuncType type)
    {
        var method = builder.DefineMethod("Entry", MethodAttributes.Public | MethodAttributes.Static, typeof(void),
            [typeof(nint), typeof(object), typeof(Value[]), typeof(Value[])]);
        var il = method.GetILGenerator();
        for (var i = 0; i < type.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelema, typeof(Value));
            il.Emit(OpCodes.Call, ToClr(type.Parameters[i]));
        }

        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldarg_0);
        EmitCalli(il, type);
        var results = type.Results;
        if (results.Length == 1)
        {
            var value = il.DeclareLocal(ClrTypes.Of(results[0]));
            il.Emit(OpCodes.Stloc, value);
            il.Emit(OpCodes.Ldarg_3);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ldloc, value);
            il.Emit(OpCodes.Call, FromClr(results[0]));
            il.Emit(OpCodes.Stelem, typeof(Value));
        }
        else if (results.Length > 1)
        {
            var tupleType = ClrTypes.Return(results);
            var tuple = il.DeclareLocal(tupleType);
            il.Emit(OpCodes.Stloc, tuple);
            for (var k = 0; k < results.Length; k++)
            {
                il.Emit(OpCodes.Ldarg_3);
                il.Emit(OpCodes.Ldc_I4, k);
                il.Emit(OpCodes.Ldloca, tuple);
                ClrTypes.EmitLoadItem(il, tupleType, k);
                il.Emit(OpCodes.Call, FromClr(results[k]));
                il.Emit(OpCodes.Stelem, typeof(Value));
            }
        }

        il.Emit(OpCodes.Ret);
    }

    private static void EmitHost(TypeBuilder builder, FuncType type)
    {
        var parameters = ClrTypes.Parameters(type, typeof(object));
        var method = builder.DefineMethod("Host", MethodAttributes.Public | MethodAttributes.Static, ClrTypes.Return(type.Results), parameters);
        var il = method.GetILGenerator();
        var arena = il.DeclareLocal(typeof(Value[]));
        var start = il.DeclareLocal(typeof(int));
        var n = type.Parameters.Length;
        il.Emit(OpCodes.Ldarg, n);
        il.Emit(OpCodes.Ldloca, start);
        il.Emit(OpCodes.Call, Members.HostBegin);
        il.Emit(OpCodes.Stloc, arena);
        for (var i = 0; i < n; i++)
        {
            il.Emit(OpCodes.Ldloc, arena);
            il.Emit(OpCodes.Ldloc, start);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldarg, i);
            il.Emit(OpCodes.Call, FromClr(type.Parameters[i]));
            il.Emit(OpCodes.Stelem, typeof(Value));
        }

        il.Emit(OpCodes.Ldarg, n);
        il.Emit(OpCodes.Ldloc, arena);
        il.Emit(OpCodes.Ldloc, start);
        il.Emit(OpCodes.Call, Members.HostDispatch);
        var results = type.Results;
        var values = new LocalBuilder[results.Length];
        for (var k = 0; k < results.Length; k++)
        {
            il.Emit(OpCodes.Ldloc, arena);
            il.Emit(OpCodes.Ldloc, start);
            il.Emit(OpCodes.Ldc_I4, n + k);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldelema, typeof(Value));
            il.Emit(OpCodes.Call, ToClr(results[k]));
            if (results.Length > 1)
            {
                values[k] = il.DeclareLocal(ClrTypes.Of(results[k]));
                il.Emit(OpCodes.Stloc, values[k]);
            }
        }

        if (results.Length > 1)
        {
            EmitPack(il, ClrTypes.Return(results), values);
        }

        il.Emit(OpCodes.Ret);
    }

    private static MethodInfo ToClr(ValueKind kind) => kind switch
    {
        ValueKind.I32 => Members.ValueToI32,
        ValueKind.I64 => Members.ValueToI64,
        ValueKind.F32 => Members.ValueToF32,
        ValueKind.F64 => Members.ValueToF64,
        _ => Members.ValueToRef,
    };

    private static MethodInfo FromClr(ValueKind kind) => kind switch
    {
        ValueKind.I32 => Members.ValueFromI32,
        ValueKind.I64 => Members.ValueFromI64,
        ValueKind.F32 => Members.ValueFromF32,
        ValueKind.F64 => Members.ValueFromF64,
        ValueKind.FuncRef => Members.ValueFromFuncRef,
        _ => Members.ValueFromExternRef,
    };
}
