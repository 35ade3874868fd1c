using GenVm.Core.Protocol;
using GenVm.Wasm;
using static GenVm.Wasm.ValueKind;

namespace GenVm.Core.Wasi;

/// <content>Path functions over the read-only virtual file system (wasm-abi.md §9.2, §9.3).</content>
internal sealed partial class DetWasiHost
{
    private void DefinePaths(Linker linker)
    {
        Def(linker, "path_open", [I32, I32, I32, I32, I32, I64, I64, I32, I32], (c, a) => PathOpen(c, a[0].I32, a[2].I32, a[3].I32, a[8].I32));
        Def(linker, "path_filestat_get", [I32, I32, I32, I32, I32], (c, a) => PathFilestatGet(c, a[0].I32, a[2].I32, a[3].I32, a[4].I32));
        Const(linker, "path_readlink", [I32, I32, I32, I32, I32, I32], WasiErrno.Badf);
        Const(linker, "path_create_directory", [I32, I32, I32], WasiErrno.Rofs);
        Const(linker, "path_filestat_set_times", [I32, I32, I32, I32, I64, I64, I32], WasiErrno.Rofs);
        Const(linker, "path_link", [I32, I32, I32, I32, I32, I32, I32], WasiErrno.Rofs);
        Const(linker, "path_remove_directory", [I32, I32, I32], WasiErrno.Rofs);
        Const(linker, "path_rename", [I32, I32, I32, I32, I32, I32], WasiErrno.Rofs);
        Const(linker, "path_symlink", [I32, I32, I32, I32, I32], WasiErrno.Rofs);
        Const(linker, "path_unlink_file", [I32, I32, I32], WasiErrno.Rofs);
    }

    private WasiErrno Lookup(Caller caller, int dirFd, int pathPtr, int pathLength, out VirtualNode node, out string name)
    {
        node = null!;
        name = string.Empty;
        if (!Descriptors.TryGet(dirFd, out var descriptor) || descriptor is not DetDirectoryDescriptor directory)
        {
            return WasiErrno.Badf;
        }

        var errno = ReadPath(caller, pathPtr, pathLength, out var path);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        name = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").LastOrDefault() ?? directory.Name;
        var resolved = VirtualFileSystem.Resolve(directory.Directory, path, out node);
        Startup?.Lookup(directory.Directory, path, resolved, resolved == WasiErrno.Success ? node : null);
        return resolved;
    }

    private WasiErrno PathOpen(Caller caller, int dirFd, int pathPtr, int pathLength, int resultPtr)
    {
        // §9.3: the number is reserved first (a brand-new one is charged 96) and given back on failure; oflags,
        // rights and fdflags are ignored.
        var fd = Descriptors.Reserve();
        var errno = Lookup(caller, dirFd, pathPtr, pathLength, out var node, out var name);
        if (errno != WasiErrno.Success)
        {
            Descriptors.Unreserve(fd);
            return errno;
        }

        Descriptors.Set(fd, node switch
        {
            VirtualFile file => new DetFileDescriptor(file.Contents, isResultFile: false),
            _ => new DetDirectoryDescriptor((VirtualDirectory)node, name),
        });
        new GuestMemory(caller).WriteU32(resultPtr, fd);
        return WasiErrno.Success;
    }

    private WasiErrno PathFilestatGet(Caller caller, int dirFd, int pathPtr, int pathLength, int resultPtr)
    {
        var errno = Lookup(caller, dirFd, pathPtr, pathLength, out var node, out _);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        // Quirk (§9.3): nlink is 0 here, unlike fd_filestat_get.
        if (node is VirtualFile file)
        {
            WriteFilestat(caller, resultPtr, WasiFileType.RegularFile, nlink: 0, (ulong)file.Contents.Length);
        }
        else
        {
            WriteFilestat(caller, resultPtr, WasiFileType.Directory, nlink: 0, 0);
        }

        return WasiErrno.Success;
    }
}
