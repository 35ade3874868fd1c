namespace GenVm.Core.Wasi;

/// <summary>What a deterministic-VM descriptor refers to (wasm-abi.md §9.1).</summary>
internal abstract class DetDescriptor
{
}
