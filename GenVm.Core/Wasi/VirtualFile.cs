namespace GenVm.Core.Wasi;

/// <summary>A mapped regular file. Its contents are shared, never copied (wasm-abi.md §9.2).</summary>
/// <param name="contents">The file's bytes.</param>
/// <param name="origin">
/// Where the bytes come from when that names them for good (a member of a content-addressed runner archive: runner id
/// and member path), else null. Lets a snapshot file recognise the start-up's files without hashing them.
/// </param>
internal sealed class VirtualFile(ReadOnlyMemory<byte> contents, string? origin = null) : VirtualNode
{
    /// <summary>The file's bytes.</summary>
    public ReadOnlyMemory<byte> Contents { get; } = contents;

    /// <summary>The name of the bytes (runner id and member path), or null when they have none.</summary>
    public string? Origin { get; } = origin;
}
