namespace GenVm.Host.Verbs;

/// <summary>
/// Where the CLI keeps the engine's compile cache: <c>GENVM_CACHE_DIR</c> when set (empty or <c>off</c> disables
/// the cache), else <c>~/.cache/genvm/compiled</c>. The cache is performance-only (runners.md §9).
/// </summary>
internal static class CompileCacheDirectory
{
    /// <summary>The environment variable naming the directory.</summary>
    public const string Variable = "GENVM_CACHE_DIR";

    /// <summary>The directory, or null when caching is disabled.</summary>
    public static string? Resolve()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (configured is not null)
        {
            return configured.Length == 0 || configured == "off" ? null : configured;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "genvm", "compiled");
    }
}
