namespace GenVm.Wasm.Wasi;

/// <summary>
/// A tree of directories and regular files behind one preopened directory. Paths are relative to its root, use
/// <c>/</c> and are already normalized by the caller: no empty, <c>.</c> or <c>..</c> components, and
/// <c>""</c> is the root. Implementations: <see cref="HostDirectoryFileSystem"/> (a host folder); the executor's
/// read-only virtual file system (wasm-abi.md §9.2) is another.
/// </summary>
public interface IWasiFileSystem
{
    /// <summary>Whether every mutation fails with <see cref="WasiErrno.ReadOnlyFileSystem"/>.</summary>
    bool IsReadOnly { get; }

    /// <summary>Metadata of the node at <paramref name="path"/>.</summary>
    WasiErrno Stat(string path, out WasiFileStat stat);

    /// <summary>Opens (and with <paramref name="create"/>, creates) the regular file at <paramref name="path"/>.</summary>
    WasiErrno OpenFile(string path, bool write, bool create, bool exclusive, bool truncate, out IWasiFile? file);

    /// <summary>The children of the directory at <paramref name="path"/>, sorted by name (ordinal).</summary>
    WasiErrno ReadDirectory(string path, out IReadOnlyList<WasiDirectoryEntry> entries);

    /// <summary>Creates a directory.</summary>
    WasiErrno CreateDirectory(string path);

    /// <summary>Removes an empty directory.</summary>
    WasiErrno RemoveDirectory(string path);

    /// <summary>Removes a regular file.</summary>
    WasiErrno UnlinkFile(string path);

    /// <summary>Renames a file or directory within this file system.</summary>
    WasiErrno Rename(string from, string to);
}
