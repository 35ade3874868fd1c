namespace GenVm.Wasm.Wasi;

/// <summary>An open regular file with its own position (two opens of one file have independent positions).</summary>
public sealed class WasiFileDescriptor : WasiDescriptor
{
    /// <summary>Wraps an open file.</summary>
    public WasiFileDescriptor(IWasiFile file, bool readable, bool writable, bool append)
    {
        File = file;
        Readable = readable;
        Writable = writable;
        Append = append;
    }

    /// <summary>The open file.</summary>
    public IWasiFile File { get; }

    /// <summary>Whether <c>fd_read</c> is allowed.</summary>
    public bool Readable { get; }

    /// <summary>Whether <c>fd_write</c> is allowed.</summary>
    public bool Writable { get; }

    /// <summary>Whether every write goes to the end (<c>fdflags.append</c>).</summary>
    public bool Append { get; }

    /// <summary>The read/write position.</summary>
    public long Position { get; set; }

    /// <inheritdoc />
    public override WasiFileType FileType => WasiFileType.RegularFile;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            File.Dispose();
        }
    }
}
