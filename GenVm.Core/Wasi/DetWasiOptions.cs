namespace GenVm.Core.Wasi;

/// <summary>What one VM's <c>wasi_snapshot_preview1</c> sees (wasm-abi.md §9).</summary>
internal sealed class DetWasiOptions
{
    /// <summary>The encoded message for fd 0 (§6).</summary>
    public ReadOnlyMemory<byte> Message { get; init; }

    /// <summary>The transaction time in ns since the Unix epoch, returned by every clock (§9.3).</summary>
    public ulong TimeNanoseconds { get; init; }

    /// <summary>Whether the VM is deterministic: the fixed-seed generator, else the OS CSPRNG (§9.3 <c>random_get</c>).</summary>
    public bool Deterministic { get; init; } = true;

    /// <summary>Arguments from runner <c>SetArgs</c> actions.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Variables from runner <c>AddEnv</c> actions; sorted by name bytes when the host is built (§9.3).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>The tree under fd 3.</summary>
    public VirtualFileSystem FileSystem { get; init; } = new();

    /// <summary>fd 1; null discards.</summary>
    public Stream? Stdout { get; init; }

    /// <summary>fd 2; null discards.</summary>
    public Stream? Stderr { get; init; }

    /// <summary>
    /// The VM's memory-pool account (wasm-abi.md §12): charged for new descriptor numbers and result files, given result
    /// files back on close, and given fd 0's message size on close (quirk). Null charges nothing.
    /// </summary>
    public GenVm.Wasm.PoolLimiter? Limiter { get; init; }
}
