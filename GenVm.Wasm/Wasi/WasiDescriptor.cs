namespace GenVm.Wasm.Wasi;

/// <summary>What one file descriptor number refers to: a stream, an open file or a directory.</summary>
public abstract class WasiDescriptor : IDisposable
{
    /// <summary>The preview1 file type reported by <c>fd_fdstat_get</c> and <c>fd_filestat_get</c>.</summary>
    public abstract WasiFileType FileType { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the descriptor holds.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
