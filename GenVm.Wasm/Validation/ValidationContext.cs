using System.Runtime.InteropServices;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Validation;

/// <summary>
/// The spec's validation context <c>C</c> for one module, flattened into arrays indexed like the index spaces
/// (imports first) so that body validation does O(1) lookups.
/// </summary>
internal sealed class ValidationContext
{
    /// <summary>Builds the context. Type indices must already be checked.</summary>
    public ValidationContext(ModuleDefinition module, WasmFeatures features)
    {
        Module = module;
        Features = features;
        FunctionTypes = new FuncType[module.TotalFunctionCount];
        var f = 0;
        foreach (var import in module.ImportsByKind(ExternKind.Func))
        {
            FunctionTypes[f++] = module.Types[(int)import.FunctionTypeIndex];
        }

        foreach (var typeIndex in module.FunctionTypeIndices)
        {
            FunctionTypes[f++] = module.Types[(int)typeIndex];
        }

        Tables = new TableType[module.TotalTableCount];
        for (var i = 0; i < Tables.Length; i++)
        {
            Tables[i] = module.GetTableType((uint)i);
        }

        MemoryCount = module.TotalMemoryCount;
        Globals = new GlobalType[module.TotalGlobalCount];
        for (var i = 0; i < Globals.Length; i++)
        {
            Globals[i] = module.GetGlobalType((uint)i);
        }

        DeclaredFunctions = new bool[FunctionTypes.Length];
    }

    /// <summary>The module being validated.</summary>
    public ModuleDefinition Module { get; }

    /// <summary>Enabled proposals.</summary>
    public WasmFeatures Features { get; }

    /// <summary>Signature of every function in the function index space.</summary>
    public FuncType[] FunctionTypes { get; }

    /// <summary>Every table in the table index space.</summary>
    public TableType[] Tables { get; }

    /// <summary>Number of memories (0 or 1).</summary>
    public int MemoryCount { get; }

    /// <summary>Every global in the global index space.</summary>
    public GlobalType[] Globals { get; }

    /// <summary>The spec's <c>C.refs</c>: functions that may be named by <c>ref.func</c> in bodies.</summary>
    public bool[] DeclaredFunctions { get; }

    /// <summary>The parameter types of a signature as an array, without copying.</summary>
    public static ValueKind[] Parameters(FuncType type) => ImmutableCollectionsMarshal.AsArray(type.Parameters) ?? [];

    /// <summary>The result types of a signature as an array, without copying.</summary>
    public static ValueKind[] Results(FuncType type) => ImmutableCollectionsMarshal.AsArray(type.Results) ?? [];

    /// <summary>Whether a feature is enabled.</summary>
    public bool Has(WasmFeatures feature) => (Features & feature) == feature;
}
