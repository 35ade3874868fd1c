namespace GenVm.Core.Runners;

/// <summary>A wasm module named by <c>LinkWasm</c> or <c>StartWasm</c> (runners.md §4).</summary>
/// <param name="ArchiveKey">The archive it comes from: a resolved <c>id:hash</c>, or the contract's key.</param>
/// <param name="Path">The member path inside that archive.</param>
/// <param name="Bytes">The module bytes (a slice of the archive).</param>
/// <param name="ModuleName">For linked modules: the name its exports are registered under (its name section); null for the started module.</param>
internal sealed record RunnerModule(string ArchiveKey, string Path, ReadOnlyMemory<byte> Bytes, string? ModuleName)
{
    /// <summary>A key for compiled-module caches: <c>&lt;archive key&gt;:&lt;path&gt;</c> (runners.md §9).</summary>
    public string CacheKey => ArchiveKey + ":" + Path;
}
