namespace GenVm.Wasm.Wasi;

/// <summary>An open regular file of an <see cref="IWasiFileSystem"/>. Positions are kept by the descriptor, not here.</summary>
public interface IWasiFile : IDisposable
{
    /// <summary>The current size in bytes.</summary>
    long Length { get; }

    /// <summary>Reads at <paramref name="offset"/> into <paramref name="buffer"/>; returns the bytes read (0 at the end).</summary>
    int Read(Span<byte> buffer, long offset);

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>; returns <see cref="WasiErrno.Success"/> or an errno.</summary>
    WasiErrno Write(ReadOnlySpan<byte> data, long offset);

    /// <summary>Truncates or extends the file.</summary>
    WasiErrno SetLength(long length);

    /// <summary>Flushes written data to the backing store.</summary>
    WasiErrno Flush();

    /// <summary>The file's metadata.</summary>
    WasiFileStat Stat();
}
