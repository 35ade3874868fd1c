using System.Reflection;
using System.Reflection.Emit;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>State shared by the function compilers of one module: the generated types, methods and fields.</summary>
internal sealed class ModuleCompilation
{
    public required ModuleDefinition Definition { get; init; }

    public required Engine Engine { get; init; }

    /// <summary>The generated context subclass (the trailing argument of every compiled function).</summary>
    public required TypeBuilder ContextType { get; init; }

    /// <summary>One method per defined function (index = function index - imported functions).</summary>
    public required MethodBuilder[] Methods { get; init; }

    /// <summary>Per global: a typed value field (defined, not exported) or a <see cref="Global"/> cell field.</summary>
    public required FieldBuilder[] GlobalFields { get; init; }

    /// <summary>Per global: whether <see cref="GlobalFields"/> holds the value itself.</summary>
    public required bool[] GlobalIsDirect { get; init; }

    /// <summary>Per table: a <see cref="Table"/> field.</summary>
    public required FieldBuilder[] TableFields { get; init; }

    /// <summary>Per imported function: a <see cref="Func"/> field.</summary>
    public required FieldBuilder[] ImportFields { get; init; }

    /// <summary>Canonical signature id per type index.</summary>
    public required int[] SignatureIds { get; init; }

    /// <summary>Whether the module has a memory (imported or defined).</summary>
    public bool HasMemory => Definition.TotalMemoryCount > 0;

    /// <summary>Frame limit (<see cref="EngineConfig.MaxCallDepth"/>).</summary>
    public int MaxCallDepth => Engine.Config.MaxCallDepth;

    /// <summary>Functions that exceed RyuJIT's full-optimisation thresholds (they run with MinOpts).</summary>
    public List<OversizedFunction> Oversized { get; } = [];
}
