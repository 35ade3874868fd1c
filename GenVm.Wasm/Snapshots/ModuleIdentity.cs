using System.Runtime.CompilerServices;
using GenVm.Wasm.Compilation;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// What makes two <see cref="Module"/> objects interchangeable for a snapshot: the same wasm bytes compiled under the
/// same engine configuration (the compile cache's key, so float policy, fuel, features and limits all count).
/// Computed once per module from <see cref="Module.Sha256"/> (no pass over the bytes).
/// </summary>
internal static class ModuleIdentity
{
    private static readonly ConditionalWeakTable<Module, byte[]> Keys = new();

    public static byte[] Of(Module module) =>
        Keys.GetValue(module, m => ModuleCache.KeyOfHash(m.Engine.Config, m.Sha256));

    public static bool Same(Module a, Module b) =>
        ReferenceEquals(a, b) || Of(a).AsSpan().SequenceEqual(Of(b));
}
