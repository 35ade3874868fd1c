using static GenVm.Wasm.ValueKind;

namespace GenVm.Wasm.Wasi;

/// <summary>Defines WASI functions in a linker under <c>wasi_snapshot_preview1</c>.</summary>
internal static class WasiBinding
{
    /// <summary>The preview1 import module name.</summary>
    public const string Module = "wasi_snapshot_preview1";

    /// <summary>Defines <paramref name="name"/>(<paramref name="parameters"/>) -> errno (i32).</summary>
    public static void Define(Linker linker, string name, ValueKind[] parameters, WasiFunction body)
    {
        linker.DefineFunction(Module, name, new FuncType(parameters, [I32]), (caller, args, results) =>
            results[0] = Value.FromI32((int)body(caller, args)));
    }

    /// <summary>Defines a function whose only answer is <paramref name="errno"/> (unsupported operations).</summary>
    public static void DefineConstant(Linker linker, string name, ValueKind[] parameters, WasiErrno errno) =>
        Define(linker, name, parameters, (_, _) => errno);
}
