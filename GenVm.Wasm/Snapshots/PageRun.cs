namespace GenVm.Wasm.Snapshots;

/// <summary>
/// A stretch of a memory image stored in a snapshot file: <see cref="Length"/> bytes at <see cref="Offset"/> in the
/// linear memory are the file's bytes at <see cref="FileOffset"/>; all three are multiples of the file's page unit.
/// </summary>
internal readonly record struct PageRun(long Offset, long Length, long FileOffset);
