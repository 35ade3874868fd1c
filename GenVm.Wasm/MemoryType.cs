namespace GenVm.Wasm;

/// <summary>The type of a linear memory: its limits in 64 KiB pages.</summary>
/// <param name="Limits">Page limits.</param>
public sealed record MemoryType(Limits Limits);
