namespace GenVm.Tests.Wasm.Spec;

/// <summary>Where the spec test suite lives.</summary>
internal static class SpecPaths
{
    /// <summary>
    /// The folder with the upstream <c>.wast</c> files: <c>GENVM_WASM_TESTSUITE</c>, else <c>../shared/wasm-testsuite</c>
    /// beside the checkout (where CI puts it).
    /// </summary>
    public static string TestSuiteDirectory { get; } =
        Environment.GetEnvironmentVariable("GENVM_WASM_TESTSUITE") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "wasm-testsuite"));
}
