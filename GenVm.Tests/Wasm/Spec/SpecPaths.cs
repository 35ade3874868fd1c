namespace GenVm.Tests.Wasm.Spec;

/// <summary>Where the spec test suite and the conversion cache live.</summary>
internal static class SpecPaths
{
    /// <summary>The folder with the upstream <c>.wast</c> files (<c>GENVM_WASM_TESTSUITE</c>, else the shared copy).</summary>
    public static string TestSuiteDirectory =>
        Environment.GetEnvironmentVariable("GENVM_WASM_TESTSUITE") is { Length: > 0 } dir ? dir : "/work/shared/wasm-testsuite";

    /// <summary>The per-user cache root (<c>GENVM_CACHE_DIR</c>, else <c>~/.cache/genvm</c>).</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("GENVM_CACHE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "genvm");
}
