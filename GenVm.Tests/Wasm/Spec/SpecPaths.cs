namespace GenVm.Tests.Wasm.Spec;

/// <summary>Where the spec test suite and the conversion cache live.</summary>
internal static class SpecPaths
{
    /// <summary>
    /// The folder with the upstream <c>.wast</c> files: <c>GENVM_WASM_TESTSUITE</c>, else <c>../shared/wasm-testsuite</c>
    /// beside the checkout (where CI puts it), found by walking up from the test assembly to the folder holding GenVm.sln.
    /// </summary>
    public static string TestSuiteDirectory { get; } = FindTestSuite();

    /// <summary>The per-user cache root (<c>GENVM_CACHE_DIR</c>, else <c>~/.cache/genvm</c>).</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("GENVM_CACHE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "genvm");

    private static string FindTestSuite()
    {
        if (Environment.GetEnvironmentVariable("GENVM_WASM_TESTSUITE") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GenVm.sln")))
            {
                return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "wasm-testsuite"));
            }
        }

        return "/work/shared/wasm-testsuite";
    }
}
