using System.Reflection;
using System.Runtime.Loader;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// A load context for one assembly of the compile cache. References to GenVm.Wasm bind to the already loaded engine
/// assembly, whichever context that lives in, so the generated code shares the engine's types. It is not
/// collectible: the runtime does not tier methods of collectible assemblies (they are jitted fully optimised, which
/// tripled CPython's start-up JIT time), so cached modules stay loaded for the process (docs/decisions.md).
/// </summary>
internal sealed class CompiledAssemblyContext : AssemblyLoadContext
{
    private static readonly Assembly EngineAssembly = typeof(Engine).Assembly;
    private static readonly string EngineAssemblyName = EngineAssembly.GetName().Name!;

    public CompiledAssemblyContext()
        : base("GenVm.Wasm.Compiled", isCollectible: false)
    {
    }

    protected override Assembly? Load(AssemblyName assemblyName) =>
        assemblyName.Name == EngineAssemblyName ? EngineAssembly : null;
}
