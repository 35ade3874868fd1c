using System.Collections.Concurrent;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// Process-wide canonical ids of function signatures: <c>call_indirect</c> compares the callee's id with the
/// expected one as a single int (structural equality, so it works across modules). Ids are numbered in order of
/// first use, so they differ between processes: compiled code never embeds them as constants but reads them from
/// static readonly fields its type initializer resolves through <see cref="GetId(string)"/> (so an assembly saved
/// by the compile cache stays valid in another process, and the JIT still folds the value once the type is initialised).
/// </summary>
internal static class SignatureRegistry
{
    private const char ResultSeparator = '>';

    private static readonly ConcurrentDictionary<FuncType, int> Ids = new();
    private static readonly ConcurrentDictionary<string, int> EncodedIds = new(StringComparer.Ordinal);
    private static int s_next;

    /// <summary>The canonical id of <paramref name="type"/>.</summary>
    public static int GetId(FuncType type) => Ids.GetOrAdd(type, static _ => Interlocked.Increment(ref s_next));

    /// <summary>The canonical id of a signature in the form of <see cref="Encode"/> (called by generated type initializers).</summary>
    public static int GetId(string encoded) => EncodedIds.GetOrAdd(encoded, static e => GetId(Decode(e)));

    /// <summary>A process-independent text form of a signature: one char per parameter kind, '>', one per result kind.</summary>
    public static string Encode(FuncType type)
    {
        var chars = new char[type.Parameters.Length + 1 + type.Results.Length];
        var n = 0;
        foreach (var kind in type.Parameters)
        {
            chars[n++] = (char)kind;
        }

        chars[n++] = ResultSeparator;
        foreach (var kind in type.Results)
        {
            chars[n++] = (char)kind;
        }

        return new string(chars);
    }

    private static FuncType Decode(string encoded)
    {
        var split = encoded.IndexOf(ResultSeparator, StringComparison.Ordinal);
        if (split < 0)
        {
            throw new ArgumentException("not an encoded signature", nameof(encoded));
        }

        var parameters = new ValueKind[split];
        for (var i = 0; i < split; i++)
        {
            parameters[i] = (ValueKind)encoded[i];
        }

        var results = new ValueKind[encoded.Length - split - 1];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = (ValueKind)encoded[split + 1 + i];
        }

        return new FuncType(parameters, results);
    }
}
