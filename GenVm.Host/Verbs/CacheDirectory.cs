namespace GenVm.Host.Verbs;

/// <summary>
/// Where the CLI keeps a performance-only cache (runners.md §9): the folder an environment variable names (<c>off</c>
/// or empty disables the cache), else a subfolder of the project's cache root (<c>GENVM_CACHE_DIR</c>, default
/// <c>~/.cache/genvm</c>). The compile cache and the snapshot files share this rule.
/// </summary>
internal static class CacheDirectory
{
    /// <summary>The cache folder, or null when the cache is disabled or there is no home folder.</summary>
    public static string? Resolve(string variable, string subdirectory)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
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

        return Path.Combine(root, subdirectory);
    }
}
