namespace GenVm.Tests;

/// <summary>
/// Where tests keep what outlives a run (converted spec scripts, compiled C programs, float vectors): never in the
/// repository. <c>GENVM_CACHE_DIR</c>, else <c>~/.cache/genvm</c>, as in <c>.ci/run</c>.
/// </summary>
internal static class TestCache
{
    /// <summary>The cache root.</summary>
    public static string Root =>
        Environment.GetEnvironmentVariable("GENVM_CACHE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "genvm");
}
