namespace GenVm.Core.Wasi;

/// <summary>
/// A read-only regular file with a position: the message on fd 0 (§6), a file opened from the virtual file system,
/// or a <c>gl_call</c> result file (§4.1).
/// </summary>
internal sealed class DetFileDescriptor(ReadOnlyMemory<byte> contents, bool isResultFile) : DetDescriptor
{
    /// <summary>The file's bytes.</summary>
    public ReadOnlyMemory<byte> Contents { get; } = contents;

    /// <summary>Whether this is a <c>gl_call</c> result file (its size is charged to the memory pool, §12).</summary>
    public bool IsResultFile { get; } = isResultFile;

    /// <summary>The read position, within [0, size].</summary>
    public long Position { get; set; }
}
