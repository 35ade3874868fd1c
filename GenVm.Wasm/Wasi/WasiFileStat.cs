namespace GenVm.Wasm.Wasi;

/// <summary>What a file system reports about one node (the parts of preview1's <c>filestat</c> it knows).</summary>
/// <param name="Type">Regular file or directory.</param>
/// <param name="Size">Size in bytes (0 for directories).</param>
/// <param name="AccessTimeNs">Last access, ns since the Unix epoch.</param>
/// <param name="ModificationTimeNs">Last modification, ns since the Unix epoch.</param>
/// <param name="ChangeTimeNs">Last status change, ns since the Unix epoch.</param>
public readonly record struct WasiFileStat(WasiFileType Type, ulong Size, ulong AccessTimeNs = 0, ulong ModificationTimeNs = 0, ulong ChangeTimeNs = 0);
