namespace GenVm.Core.Runners;

/// <summary>
/// Where runner tars live by default. Build products never go into the repository: the cache root is
/// <c>GENVM_CACHE_DIR</c>, else <c>~/.cache/genvm</c> (as in <c>.ci/run</c>); the runners directory (config.md §4
/// <c>runners_dir</c>, layout runners.md §5) is <c>GENVM_RUNNERS_DIR</c>, else <c>&lt;cache&gt;/runners/store</c>.
/// </summary>
internal static class RunnerPaths
{
    /// <summary>The cache root.</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("GENVM_CACHE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "genvm");

    /// <summary>The default runners directory.</summary>
    public static string DefaultRunnersDirectory =>
        Environment.GetEnvironmentVariable("GENVM_RUNNERS_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(CacheRoot, "runners", "store");
}
