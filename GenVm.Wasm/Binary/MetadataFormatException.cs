namespace GenVm.Wasm.Binary;

/// <summary>
/// Malformed module metadata (<see cref="ModuleMetadata"/>) in a compile cache entry. The entry is discarded and
/// rebuilt; the offset is relative to the start of the metadata.
/// </summary>
internal sealed class MetadataFormatException : Exception
{
    public MetadataFormatException(string message, int offset)
        : base($"module metadata: {message} at offset {offset}")
    {
        Offset = offset;
    }

    /// <summary>Where in the metadata the failure was found.</summary>
    public int Offset { get; }
}
