using System.Buffers.Binary;
using GenVm.Core.Protocol;
using GenVm.Wasm;
using static GenVm.Wasm.ValueKind;

namespace GenVm.Core.Wasi;

/// <content>Descriptor functions (wasm-abi.md §9.3).</content>
internal sealed partial class DetWasiHost
{
    private const int FilestatSize = 64;
    private const int FdstatSize = 24;

    private void DefineFiles(Linker linker)
    {
        Def(linker, "fd_read", [I32, I32, I32, I32], (c, a) => Read(c, a[0].I32, a[1].I32, a[2].I32, null, a[3].I32));
        Def(linker, "fd_pread", [I32, I32, I32, I64, I32], (c, a) => Read(c, a[0].I32, a[1].I32, a[2].I32, a[3].I64, a[4].I32));
        Def(linker, "fd_write", [I32, I32, I32, I32], (c, a) => Write(c, a[0].I32, a[1].I32, a[2].I32, a[3].I32));
        Def(linker, "fd_pwrite", [I32, I32, I32, I64, I32], (_, a) => BadfElse(a[0].I32, WasiErrno.Notsup));
        Def(linker, "fd_seek", [I32, I64, I32, I32], (c, a) => Seek(c, a[0].I32, a[1].I64, a[2].I32, a[3].I32));
        Def(linker, "fd_tell", [I32, I32], (c, a) => Tell(c, a[0].I32, a[1].I32));
        Def(linker, "fd_close", [I32], (_, a) => CloseDescriptor(a[0].I32));
        Def(linker, "fd_fdstat_get", [I32, I32], (c, a) => FdstatGet(c, a[0].I32, a[1].I32));
        Def(linker, "fd_filestat_get", [I32, I32], (c, a) => FilestatGet(c, a[0].I32, a[1].I32));
        Def(linker, "fd_readdir", [I32, I32, I32, I64, I32], (c, a) => Readdir(c, a[0].I32, a[1].I32, a[2].I32, a[3].I64, a[4].I32));
        Def(linker, "fd_prestat_get", [I32, I32], (c, a) => PrestatGet(c, a[0].I32, a[1].I32));
        Def(linker, "fd_prestat_dir_name", [I32, I32, I32], (c, a) => PrestatDirName(c, a[0].I32, a[1].I32, a[2].I32));

        // §9.3: success without fd validation.
        Const(linker, "fd_advise", [I32, I64, I64, I32], WasiErrno.Success);
        Const(linker, "fd_datasync", [I32], WasiErrno.Success);
        Const(linker, "fd_sync", [I32], WasiErrno.Success);

        // §9.3: a read-only file system.
        Const(linker, "fd_allocate", [I32, I64, I64], WasiErrno.Rofs);
        Const(linker, "fd_fdstat_set_flags", [I32, I32], WasiErrno.Rofs);
        Const(linker, "fd_fdstat_set_rights", [I32, I64, I64], WasiErrno.Rofs);
        Def(linker, "fd_filestat_set_size", [I32, I64], (_, a) => BadfElse(a[0].I32, WasiErrno.Rofs));
        Def(linker, "fd_filestat_set_times", [I32, I64, I64, I32], (_, a) => BadfElse(a[0].I32, WasiErrno.Rofs));
    }

    private WasiErrno BadfElse(int fd, WasiErrno errno) => Descriptors.TryGet(fd, out _) ? errno : WasiErrno.Badf;

    private WasiErrno Read(Caller caller, int fd, int iovs, int iovsLength, long? offset, int resultPtr)
    {
        if (!Descriptors.TryGet(fd, out var descriptor))
        {
            return WasiErrno.Badf;
        }

        switch (descriptor)
        {
            case DetStreamDescriptor:
                return WasiErrno.Acces;
            case DetDirectoryDescriptor:
                return WasiErrno.Isdir;
        }

        var file = (DetFileDescriptor)descriptor;
        var memory = new GuestMemory(caller);
        var data = file.Contents.Span;

        // fd_pread beyond the end: the reference crashes; we read nothing (§9.3).
        var position = offset is long o ? (ulong)o : (ulong)file.Position;
        long total = 0;
        for (var i = 0; i < iovsLength; i++)
        {
            var buffer = (int)memory.ReadU32(iovs + (i * 8));
            var length = (int)memory.ReadU32(iovs + (i * 8) + 4);
            var target = memory.Slice(buffer, length);
            if (position >= (ulong)data.Length)
            {
                break;
            }

            var count = (int)Math.Min((ulong)target.Length, (ulong)data.Length - position);
            data.Slice((int)position, count).CopyTo(target);
            position += (ulong)count;
            total += count;
        }

        if (offset is null)
        {
            file.Position = (long)position;
        }

        memory.WriteU32(resultPtr, (uint)total);
        return WasiErrno.Success;
    }

    private WasiErrno Write(Caller caller, int fd, int iovs, int iovsLength, int resultPtr)
    {
        if (!Descriptors.TryGet(fd, out var descriptor))
        {
            return WasiErrno.Badf;
        }

        if (descriptor is not DetStreamDescriptor stream)
        {
            return WasiErrno.Rofs;
        }

        var memory = new GuestMemory(caller);
        long total = 0;
        for (var i = 0; i < iovsLength; i++)
        {
            var buffer = (int)memory.ReadU32(iovs + (i * 8));
            var length = (int)memory.ReadU32(iovs + (i * 8) + 4);
            stream.Output.Write(memory.Slice(buffer, length));
            total += length;
        }

        stream.Output.Flush();
        memory.WriteU32(resultPtr, (uint)total);
        return WasiErrno.Success;
    }

    private WasiErrno Seek(Caller caller, int fd, long offset, int whence, int resultPtr)
    {
        if ((uint)whence > 2)
        {
            return WasiErrno.Inval;
        }

        if (!Descriptors.TryGet(fd, out var descriptor))
        {
            return WasiErrno.Badf;
        }

        switch (descriptor)
        {
            case DetStreamDescriptor:
                return WasiErrno.Spipe;
            case DetDirectoryDescriptor:
                return WasiErrno.Notsup;
        }

        var file = (DetFileDescriptor)descriptor;
        long target;
        switch (whence)
        {
            case 0:
                target = Math.Max(0, offset);
                break;
            case 1:
                target = offset < 0 ? Math.Max(0, file.Position + offset) : (long)Math.Min((ulong)file.Position + (ulong)offset, long.MaxValue);
                break;
            default:
                return WasiErrno.Notsup;
        }

        file.Position = Math.Clamp(target, 0, file.Contents.Length);
        new GuestMemory(caller).WriteU64(resultPtr, (ulong)file.Position);
        return WasiErrno.Success;
    }

    private WasiErrno Tell(Caller caller, int fd, int resultPtr)
    {
        if (!Descriptors.TryGet(fd, out var descriptor))
        {
            return WasiErrno.Badf;
        }

        switch (descriptor)
        {
            case DetStreamDescriptor:
                return WasiErrno.Spipe;
            case DetDirectoryDescriptor:
                return WasiErrno.Notsup;
        }

        new GuestMemory(caller).WriteU64(resultPtr, (ulong)((DetFileDescriptor)descriptor).Position);
        return WasiErrno.Success;
    }

    private WasiErrno FdstatGet(Caller caller, int fd, int resultPtr)
    {
        if (!Descriptors.TryGet(fd, out var descriptor))
        {
            return WasiErrno.Badf;
        }

        var (type, rights) = descriptor switch
        {
            DetStreamDescriptor => (WasiFileType.Unknown, StdioRights),
            DetDirectoryDescriptor => (WasiFileType.Directory, (ulong)WasiRights.Directory),
            _ => (WasiFileType.RegularFile, (ulong)WasiRights.RegularFile),
        };
        var stat = new GuestMemory(caller).Struct(resultPtr, FdstatSize, 8);
        stat[0] = (byte)type;
        BinaryPrimitives.WriteUInt64LittleEndian(stat[8..], rights);
        BinaryPrimitives.WriteUInt64LittleEndian(stat[16..], rights);
        return WasiErrno.Success;
    }

    private WasiErrno FilestatGet(Caller caller, int fd, int resultPtr)
    {
        if (!Descriptors.TryGet(fd, out var descriptor))
        {
            return WasiErrno.Badf;
        }

        var (type, size) = descriptor switch
        {
            DetStreamDescriptor => (WasiFileType.CharacterDevice, 0UL),
            DetDirectoryDescriptor => (WasiFileType.Directory, 0UL),
            _ => (WasiFileType.RegularFile, (ulong)((DetFileDescriptor)descriptor).Contents.Length),
        };
        WriteFilestat(caller, resultPtr, type, nlink: 1, size);
        return WasiErrno.Success;
    }

    internal static void WriteFilestat(Caller caller, int resultPtr, WasiFileType type, ulong nlink, ulong size)
    {
        // dev 0, ino 0, all times 0 (§9.3).
        var stat = new GuestMemory(caller).Struct(resultPtr, FilestatSize, 8);
        stat[16] = (byte)type;
        BinaryPrimitives.WriteUInt64LittleEndian(stat[24..], nlink);
        BinaryPrimitives.WriteUInt64LittleEndian(stat[32..], size);
    }

    private WasiErrno Readdir(Caller caller, int fd, int buffer, int bufferLength, long cookie, int resultPtr)
    {
        if (!Descriptors.TryGet(fd, out var descriptor) || descriptor is not DetDirectoryDescriptor directory)
        {
            return WasiErrno.Badf;
        }

        Startup?.Listing(directory.Directory);
        var entries = new List<(string Name, WasiFileType Type)> { (".", WasiFileType.Directory), ("..", WasiFileType.Directory) };
        entries.AddRange(directory.Directory.Children.Select(kv =>
            (kv.Key, kv.Value is VirtualDirectory ? WasiFileType.Directory : WasiFileType.RegularFile)));

        var memory = new GuestMemory(caller);
        var output = memory.Slice(buffer, bufferLength);
        var written = 0;
        Span<byte> header = stackalloc byte[(int)WireSize.FdirentHeader];
        for (var index = (ulong)cookie; index < (ulong)entries.Count && written < output.Length; index++)
        {
            var (name, type) = entries[(int)index];
            var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
            header.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(header, index + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)nameBytes.Length);
            header[20] = (byte)type;
            written += CopyTruncated(header, output[written..]);
            written += CopyTruncated(nameBytes, output[written..]);
        }

        memory.WriteU32(resultPtr, (uint)written);
        return WasiErrno.Success;
    }

    private static int CopyTruncated(ReadOnlySpan<byte> source, Span<byte> target)
    {
        var count = Math.Min(source.Length, target.Length);
        source[..count].CopyTo(target);
        return count;
    }

    private WasiErrno PrestatGet(Caller caller, int fd, int resultPtr)
    {
        if (!Descriptors.TryGet(fd, out var descriptor) || descriptor is not DetDirectoryDescriptor directory)
        {
            return WasiErrno.Badf;
        }

        // prestat: tag u8 (0 = dir) then u32 name length (§9.3).
        var prestat = new GuestMemory(caller).Struct(resultPtr, 8, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(prestat[4..], (uint)System.Text.Encoding.UTF8.GetByteCount(directory.Name));
        return WasiErrno.Success;
    }

    private WasiErrno PrestatDirName(Caller caller, int fd, int path, int pathLength)
    {
        if (!Descriptors.TryGet(fd, out var descriptor) || descriptor is not DetDirectoryDescriptor directory)
        {
            return WasiErrno.Badf;
        }

        var name = System.Text.Encoding.UTF8.GetBytes(directory.Name);
        if ((uint)pathLength < (uint)name.Length)
        {
            return WasiErrno.Overflow;
        }

        name.CopyTo(new GuestMemory(caller).Slice(path, name.Length));
        return WasiErrno.Success;
    }
}
