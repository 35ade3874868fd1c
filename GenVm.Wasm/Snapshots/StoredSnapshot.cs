namespace GenVm.Wasm.Snapshots;

/// <summary>
/// What a snapshot file holds: the <see cref="InstanceSnapshot"/>, the WASI start-up state it is valid for (plain
/// <see cref="Wasi.WasiHost"/> embedders), and opaque bytes of the embedder (an executor's own start-up state, such as
/// a random generator's position). Disposing it disposes the snapshot.
/// </summary>
public sealed class StoredSnapshot : IDisposable
{
    /// <summary>Pairs a snapshot with what its embedder keeps beside it; takes ownership of <paramref name="snapshot"/>.</summary>
    public StoredSnapshot(InstanceSnapshot snapshot, WasiStartupState? wasi = null, ReadOnlyMemory<byte> embedderData = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Snapshot = snapshot;
        Wasi = wasi;
        EmbedderData = embedderData;
    }

    /// <summary>The instance state.</summary>
    public InstanceSnapshot Snapshot { get; }

    /// <summary>The WASI start-up state a restoring <see cref="Wasi.WasiHost"/> must be compatible with, or null.</summary>
    public WasiStartupState? Wasi { get; }

    /// <summary>The embedder's bytes, stored and returned unchanged.</summary>
    public ReadOnlyMemory<byte> EmbedderData { get; }

    /// <summary>Where it came from: read from a file, or built (and written) by this process.</summary>
    public bool IsFromFile { get; internal init; }

    /// <inheritdoc />
    public void Dispose() => Snapshot.Dispose();
}
