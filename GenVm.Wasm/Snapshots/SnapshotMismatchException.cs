namespace GenVm.Wasm.Snapshots;

/// <summary>
/// An <see cref="InstanceSnapshot"/> cannot be taken or applied: it comes from another module or engine
/// configuration, the instance is running, or its state reaches outside the instance.
/// </summary>
public sealed class SnapshotMismatchException : WasmException
{
    /// <summary>Creates the exception.</summary>
    public SnapshotMismatchException(string message)
        : base(message)
    {
    }
}
