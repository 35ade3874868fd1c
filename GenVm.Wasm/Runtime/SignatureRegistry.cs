using System.Collections.Concurrent;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// Process-wide canonical ids of function signatures: <c>call_indirect</c> compares the callee's id with the
/// expected one as a single int (structural equality, so it works across modules).
/// </summary>
internal static class SignatureRegistry
{
    private static readonly ConcurrentDictionary<FuncType, int> Ids = new();
    private static int s_next;

    /// <summary>The canonical id of <paramref name="type"/>.</summary>
    public static int GetId(FuncType type) => Ids.GetOrAdd(type, static _ => Interlocked.Increment(ref s_next));
}
