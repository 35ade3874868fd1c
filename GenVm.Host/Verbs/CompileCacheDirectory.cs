namespace GenVm.Host.Verbs;

/// <summary>
/// Where the CLI keeps the engine's compile cache: <c>GENVM_WASM_CACHE</c> when set (a directory, or <c>off</c>
/// to disable the cache), else <c>compiled</c> under the project's cache root (<c>GENVM_CACHE_DIR</c>, default
/// <c>~/.cache/genvm</c>). The cache is performance-only (runners.md §9).
/// </summary>
internal static class CompileCacheDirectory
{
    /// <summary>The environment variable naming the directory (or <c>off</c>).</summary>
    public const string Variable = "GENVM_WASM_CACHE";

    /// <summary>The directory, or null when caching is disabled.</summary>
    public static string? Resolve()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (configured is not null)
        {
            return configured.Length == 0 || configured == "off" ? null : configured;
        }

        var root = Environment.GetEnvironmentVariable("GENVM_CACHE_DIR");
        if (string.IsNullOrEmpty(root))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            root = Path.Combine(home, ".cache", "genvm");
        }

        return Path.Combine(root, "compiled");
    }
}
