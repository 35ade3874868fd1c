namespace GenVm.Wasm.Wasi;

/// <summary>One child of a directory.</summary>
/// <param name="Name">The child's name (no separators).</param>
/// <param name="Type">Regular file, directory, or unknown.</param>
public readonly record struct WasiDirectoryEntry(string Name, WasiFileType Type);
