namespace GenVm.Wasm;

/// <summary>Size limits of a memory (in 64 KiB pages) or a table (in elements).</summary>
/// <param name="Minimum">The initial size.</param>
/// <param name="Maximum">The maximum size, or null when unbounded.</param>
public readonly record struct Limits(uint Minimum, uint? Maximum);
