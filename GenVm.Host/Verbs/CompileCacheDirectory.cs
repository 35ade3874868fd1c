namespace GenVm.Host.Verbs;

/// <summary>
/// Where the CLI keeps the engine's compile cache: <c>GENVM_WASM_CACHE</c> when set (a directory, or <c>off</c>
/// to disable the cache), else <c>compiled</c> under the project's cache root (<see cref="CacheDirectory"/>).
/// </summary>
internal static class CompileCacheDirectory
{
    /// <summary>The environment variable naming the directory (or <c>off</c>).</summary>
    public const string Variable = "GENVM_WASM_CACHE";

    /// <summary>The directory, or null when caching is disabled.</summary>
    public static string? Resolve() => CacheDirectory.Resolve(Variable, "compiled");
}
