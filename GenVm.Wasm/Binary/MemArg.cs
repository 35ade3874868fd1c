namespace GenVm.Wasm.Binary;

/// <summary>The memory immediate of loads and stores (Binary format §5.4.7).</summary>
/// <param name="Align">Alignment exponent (log2 of the byte alignment); below 32.</param>
/// <param name="Offset">Static offset added to the address (32-bit memories).</param>
/// <param name="MemoryIndex">Target memory; always 0 without multi-memory.</param>
internal readonly record struct MemArg(uint Align, uint Offset, uint MemoryIndex);
