using Microsoft.Win32.SafeHandles;

namespace GenVm.Wasm.Wasi;

/// <summary>A host file opened by <see cref="HostDirectoryFileSystem"/>; reads and writes at explicit offsets.</summary>
internal sealed class HostFile(SafeFileHandle handle, string path) : IWasiFile
{
    public long Length => RandomAccess.GetLength(handle);

    public int Read(Span<byte> buffer, long offset) => RandomAccess.Read(handle, buffer, offset);

    public WasiErrno Write(ReadOnlySpan<byte> data, long offset)
    {
        try
        {
            RandomAccess.Write(handle, data, offset);
            return WasiErrno.Success;
        }
        catch (UnauthorizedAccessException)
        {
            return WasiErrno.BadDescriptor;
        }
        catch (NotSupportedException)
        {
            return WasiErrno.BadDescriptor;
        }
        catch (IOException)
        {
            return WasiErrno.IO;
        }
    }

    public WasiErrno SetLength(long length)
    {
        try
        {
            RandomAccess.SetLength(handle, length);
            return WasiErrno.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return WasiErrno.BadDescriptor;
        }
    }

    public WasiErrno Flush()
    {
        try
        {
            RandomAccess.FlushToDisk(handle);
            return WasiErrno.Success;
        }
        catch (IOException)
        {
            return WasiErrno.IO;
        }
    }

    public WasiFileStat Stat()
    {
        var info = new FileInfo(path);
        var stat = info.Exists ? HostDirectoryFileSystem.ToStat(info) : new WasiFileStat(WasiFileType.RegularFile, 0);
        return stat with { Size = (ulong)Length };
    }

    public void Dispose() => handle.Dispose();
}
