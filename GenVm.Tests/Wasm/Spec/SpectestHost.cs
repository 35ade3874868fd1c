using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Spec;

/// <summary>
/// The <c>spectest</c> host module every spec script may import: print functions, four globals of value 666
/// (666.6 for floats), a funcref table of 10..20 elements and a memory of 1..2 pages.
/// </summary>
internal static class SpectestHost
{
    /// <summary>Defines the <c>spectest</c> imports in <paramref name="linker"/> for <paramref name="store"/>.</summary>
    public static void Define(Linker linker, Store store, TextWriter output)
    {
        DefinePrint(linker, output, "print");
        DefinePrint(linker, output, "print_i32", ValueKind.I32);
        DefinePrint(linker, output, "print_i64", ValueKind.I64);
        DefinePrint(linker, output, "print_f32", ValueKind.F32);
        DefinePrint(linker, output, "print_f64", ValueKind.F64);
        DefinePrint(linker, output, "print_i32_f32", ValueKind.I32, ValueKind.F32);
        DefinePrint(linker, output, "print_f64_f64", ValueKind.F64, ValueKind.F64);
        linker.Define("spectest", "global_i32", Global.Create(store, new GlobalType(ValueKind.I32, false), Value.FromI32(666)));
        linker.Define("spectest", "global_i64", Global.Create(store, new GlobalType(ValueKind.I64, false), Value.FromI64(666)));
        linker.Define("spectest", "global_f32", Global.Create(store, new GlobalType(ValueKind.F32, false), Value.FromF32(666.6f)));
        linker.Define("spectest", "global_f64", Global.Create(store, new GlobalType(ValueKind.F64, false), Value.FromF64(666.6)));
        linker.Define("spectest", "table", Table.Create(store, new TableType(ValueKind.FuncRef, new Limits(10, 20)), Value.FromFuncRef(null)));
        linker.Define("spectest", "memory", Memory.Create(store, new MemoryType(new Limits(1, 2))));
    }

    private static void DefinePrint(Linker linker, TextWriter output, string name, params ValueKind[] parameters)
    {
        linker.DefineFunction("spectest", name, new FuncType(parameters, []), (caller, args, results) =>
        {
            var parts = new string[args.Length];
            for (var i = 0; i < args.Length; i++)
            {
                parts[i] = SpecValues.Format(args[i]);
            }

            output.WriteLine($"{name}({string.Join(", ", parts)})");
        });
    }
}
