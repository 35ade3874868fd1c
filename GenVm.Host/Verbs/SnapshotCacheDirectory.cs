namespace GenVm.Host.Verbs;

/// <summary>
/// Where the CLI keeps start-up snapshot files: <c>GENVM_SNAPSHOT_CACHE</c> when set (a directory, or <c>off</c> for
/// no snapshot files), else <c>snapshots</c> under the project's cache root (<see cref="CacheDirectory"/>), beside the
/// compile cache's <c>compiled</c>.
/// </summary>
internal static class SnapshotCacheDirectory
{
    /// <summary>The environment variable naming the directory (or <c>off</c>).</summary>
    public const string Variable = "GENVM_SNAPSHOT_CACHE";

    /// <summary>The directory, or null when snapshot files are disabled.</summary>
    public static string? Resolve() => CacheDirectory.Resolve(Variable, "snapshots");
}
