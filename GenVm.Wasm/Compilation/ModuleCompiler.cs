using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>Compiles a validated module to IL. (Being written: engine compiler work.)</summary>
internal static class ModuleCompiler
{
    /// <summary>Compiles every function body.</summary>
    public static CompiledModule Compile(Engine engine, ModuleDefinition module, string? name) =>
        throw new NotImplementedException("compiler not written yet");
}
