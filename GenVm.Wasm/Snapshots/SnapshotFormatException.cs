namespace GenVm.Wasm.Snapshots;

/// <summary>
/// A snapshot file is not one this engine build can trust: truncated, corrupted (its hash does not match), of another
/// format version, or malformed. Callers that cache snapshots delete such a file and build it again.
/// </summary>
public sealed class SnapshotFormatException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What is wrong.</param>
    /// <param name="offset">Byte offset in the file where reading failed.</param>
    public SnapshotFormatException(string reason, long offset)
        : base($"{reason} (at offset 0x{offset:x})")
    {
        Reason = reason;
        Offset = offset;
    }

    /// <summary>The reason without the offset.</summary>
    public string Reason { get; }

    /// <summary>Byte offset in the file where reading failed.</summary>
    public long Offset { get; }
}
