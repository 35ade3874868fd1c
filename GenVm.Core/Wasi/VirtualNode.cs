namespace GenVm.Core.Wasi;

/// <summary>A node of the read-only virtual file system (wasm-abi.md §9.2): a <see cref="VirtualDirectory"/> or a <see cref="VirtualFile"/>.</summary>
internal abstract class VirtualNode
{
}
