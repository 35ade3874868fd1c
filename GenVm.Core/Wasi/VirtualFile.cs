namespace GenVm.Core.Wasi;

/// <summary>A mapped regular file. Its contents are shared, never copied (wasm-abi.md §9.2).</summary>
internal sealed class VirtualFile(ReadOnlyMemory<byte> contents) : VirtualNode
{
    /// <summary>The file's bytes.</summary>
    public ReadOnlyMemory<byte> Contents { get; } = contents;
}
