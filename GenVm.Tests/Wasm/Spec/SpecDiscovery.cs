namespace GenVm.Tests.Wasm.Spec;

/// <summary>Finds the spec scripts we run: every top-level <c>.wast</c> except SIMD, plus <c>tail-call/</c>.</summary>
internal static class SpecDiscovery
{
    /// <summary>Script names relative to <see cref="SpecPaths.TestSuiteDirectory"/>, sorted, with <c>/</c> separators.</summary>
    public static IReadOnlyList<string> Files()
    {
        var root = SpecPaths.TestSuiteDirectory;
        if (!Directory.Exists(root))
        {
            return [];
        }

        // SIMD is not implemented (WasmFeatures.Simd): its scripts are out of scope, not skipped one by one.
        var top = Directory.EnumerateFiles(root, "*.wast")
            .Select(Path.GetFileName)
            .Where(name => !name!.StartsWith("simd_", StringComparison.Ordinal))
            .Select(name => name!);
        var tail = Directory.Exists(Path.Combine(root, "tail-call"))
            ? Directory.EnumerateFiles(Path.Combine(root, "tail-call"), "*.wast").Select(p => "tail-call/" + Path.GetFileName(p))
            : [];
        return top.Concat(tail).Order(StringComparer.Ordinal).ToList();
    }
}
