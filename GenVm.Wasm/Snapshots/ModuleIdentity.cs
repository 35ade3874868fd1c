using System.Runtime.CompilerServices;
using GenVm.Wasm.Compilation;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// What makes two <see cref="Module"/> objects interchangeable for a snapshot: the same wasm bytes compiled under the
/// same engine configuration (the compile cache's key, so float policy, fuel, features and limits all count).
/// Computed once per module.
/// </summary>
internal static class ModuleIdentity
{
    private static readonly ConditionalWeakTable<Module, byte[]> Keys = new();

    public static byte[] Of(Module module) =>
        Keys.GetValue(module, m => ModuleCache.Key(m.Engine.Config, m.Definition.Bytes));

    public static bool Same(Module a, Module b) =>
        ReferenceEquals(a, b) || Of(a).AsSpan().SequenceEqual(Of(b));
}
