using static GenVm.Wasm.ValueKind;

namespace GenVm.Wasm.Wasi;

/// <summary>The <c>path_*</c> functions: paths are resolved relative to a directory descriptor and never escape its file system.</summary>
public sealed partial class WasiFileSystem
{
    private const int OflagCreate = 1;
    private const int OflagDirectory = 2;
    private const int OflagExclusive = 4;
    private const int OflagTruncate = 8;
    private const int FdflagAppend = 1;

    /// <summary>
    /// Joins <paramref name="relative"/> to a directory's path: empty and <c>.</c> components are dropped, <c>..</c>
    /// goes up but never above the file system's root, and absolute paths are refused (preview1 paths are relative).
    /// </summary>
    internal static WasiErrno Normalize(string directory, string relative, out string path)
    {
        path = string.Empty;
        if (relative.StartsWith('/') || relative.Contains('\0', StringComparison.Ordinal))
        {
            return WasiErrno.NotCapable;
        }

        var parts = new List<string>(directory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in relative.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return WasiErrno.NotCapable;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        path = string.Join('/', parts);
        return WasiErrno.Success;
    }

    private void DefinePaths(Linker linker)
    {
        WasiBinding.Define(linker, "path_open", [I32, I32, I32, I32, I32, I64, I64, I32, I32], (c, a) =>
            Open(c, a[0].I32, a[2].I32, a[3].I32, a[4].I32, a[5].I64, a[7].I32, a[8].I32));
        WasiBinding.Define(linker, "path_filestat_get", [I32, I32, I32, I32, I32], (c, a) => PathFilestatGet(c, a[0].I32, a[2].I32, a[3].I32, a[4].I32));
        WasiBinding.Define(linker, "path_create_directory", [I32, I32, I32], (c, a) =>
            WithPath(c, a[0].I32, a[1].I32, a[2].I32, (fs, p) => fs.CreateDirectory(p)));
        WasiBinding.Define(linker, "path_remove_directory", [I32, I32, I32], (c, a) =>
            WithPath(c, a[0].I32, a[1].I32, a[2].I32, (fs, p) => fs.RemoveDirectory(p)));
        WasiBinding.Define(linker, "path_unlink_file", [I32, I32, I32], (c, a) =>
            WithPath(c, a[0].I32, a[1].I32, a[2].I32, (fs, p) => fs.UnlinkFile(p)));
        WasiBinding.Define(linker, "path_rename", [I32, I32, I32, I32, I32, I32], (c, a) => Rename(c, a[0].I32, a[1].I32, a[2].I32, a[3].I32, a[4].I32, a[5].I32));
        WasiBinding.Define(linker, "path_filestat_set_times", [I32, I32, I32, I32, I64, I64, I32], (_, a) => DirectoryThen(a[0].I32, WasiErrno.NotSupported));
        WasiBinding.Define(linker, "path_link", [I32, I32, I32, I32, I32, I32, I32], (_, a) => DirectoryThen(a[0].I32, WasiErrno.NotSupported));
        WasiBinding.Define(linker, "path_readlink", [I32, I32, I32, I32, I32, I32], (_, a) => DirectoryThen(a[0].I32, WasiErrno.NotSupported));
        WasiBinding.Define(linker, "path_symlink", [I32, I32, I32, I32, I32], (_, a) => DirectoryThen(a[2].I32, WasiErrno.NotSupported));
    }

    private WasiErrno DirectoryThen(int fd, WasiErrno errno) =>
        !_descriptors.TryGet(fd, out var d) ? WasiErrno.BadDescriptor : d is WasiDirectoryDescriptor ? errno : WasiErrno.NotDirectory;

    /// <summary>Reads the path argument and resolves it against the directory <paramref name="fd"/>.</summary>
    private WasiErrno Resolve(Caller caller, int fd, int pathPtr, int pathLength, out WasiDirectoryDescriptor? directory, out string path)
    {
        directory = null;
        path = string.Empty;
        if (!_descriptors.TryGet(fd, out var d))
        {
            return WasiErrno.BadDescriptor;
        }

        if (d is not WasiDirectoryDescriptor dir)
        {
            return WasiErrno.NotDirectory;
        }

        if (!new GuestMemory(caller).TryReadString(pathPtr, pathLength, out var relative, out var errno))
        {
            return errno;
        }

        directory = dir;
        return Normalize(dir.Path, relative, out path);
    }

    private WasiErrno WithPath(Caller caller, int fd, int pathPtr, int pathLength, Func<IWasiFileSystem, string, WasiErrno> action)
    {
        var errno = Resolve(caller, fd, pathPtr, pathLength, out var dir, out var path);
        return errno != WasiErrno.Success ? errno : action(dir!.FileSystem, path);
    }

    private WasiErrno Open(Caller caller, int fd, int pathPtr, int pathLength, int oflags, long rightsBase, int fdflags, int resultPtr)
    {
        var errno = Resolve(caller, fd, pathPtr, pathLength, out var dir, out var path);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        var fs = dir!.FileSystem;
        var create = (oflags & OflagCreate) != 0;
        var exclusive = (oflags & OflagExclusive) != 0;
        var truncate = (oflags & OflagTruncate) != 0;
        var append = (fdflags & FdflagAppend) != 0;
        var write = ((ulong)rightsBase & WasiRights.FdWrite) != 0 || create || truncate || append;
        var read = ((ulong)rightsBase & WasiRights.FdRead) != 0 || !write;
        var exists = fs.Stat(path, out var stat) == WasiErrno.Success;

        WasiDescriptor descriptor;
        if (exists && stat.Type == WasiFileType.Directory)
        {
            if (create && exclusive)
            {
                return WasiErrno.Exists;
            }

            if (((ulong)rightsBase & WasiRights.FdWrite) != 0 || truncate || append)
            {
                return WasiErrno.IsDirectory;
            }

            descriptor = new WasiDirectoryDescriptor(fs, path, null);
        }
        else if ((oflags & OflagDirectory) != 0)
        {
            return exists ? WasiErrno.NotDirectory : WasiErrno.NoEntry;
        }
        else
        {
            errno = fs.OpenFile(path, write, create, exclusive, truncate, out var file);
            if (errno != WasiErrno.Success)
            {
                return errno;
            }

            descriptor = new WasiFileDescriptor(file!, read, write, append);
        }

        var memory = new GuestMemory(caller);
        if (!memory.TrySpan(resultPtr, 4, out _))
        {
            descriptor.Dispose();
            return WasiErrno.Fault;
        }

        memory.TryWriteU32(resultPtr, (uint)_descriptors.Add(descriptor));
        return WasiErrno.Success;
    }

    private WasiErrno PathFilestatGet(Caller caller, int fd, int pathPtr, int pathLength, int resultPtr)
    {
        var errno = Resolve(caller, fd, pathPtr, pathLength, out var dir, out var path);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        errno = dir!.FileSystem.Stat(path, out var stat);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        if (!new GuestMemory(caller).TrySpan(resultPtr, FilestatSize, out var target))
        {
            return WasiErrno.Fault;
        }

        WriteFilestat(target, stat, 1);
        return WasiErrno.Success;
    }

    private WasiErrno Rename(Caller caller, int fd, int oldPtr, int oldLength, int newFd, int newPtr, int newLength)
    {
        var errno = Resolve(caller, fd, oldPtr, oldLength, out var from, out var fromPath);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        errno = Resolve(caller, newFd, newPtr, newLength, out var to, out var toPath);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        return ReferenceEquals(from!.FileSystem, to!.FileSystem) ? from.FileSystem.Rename(fromPath, toPath) : WasiErrno.CrossDevice;
    }
}
