using System.Buffers.Binary;
using System.Text;
using static GenVm.Wasm.ValueKind;

namespace GenVm.Wasm.Wasi;

/// <summary>
/// The descriptor functions (<c>fd_*</c>) over a <see cref="WasiFdTable"/>: standard streams, open files and
/// directories of any <see cref="IWasiFileSystem"/>. The path functions are in <c>WasiFileSystem.Paths.cs</c>.
/// </summary>
public sealed partial class WasiFileSystem
{
    private const int WhenceSet = 0;
    private const int WhenceCurrent = 1;
    private const int WhenceEnd = 2;
    private const int DirentSize = 24;
    private const int FilestatSize = 64;

    private readonly WasiFdTable _descriptors;

    /// <summary>Serves the descriptors of <paramref name="descriptors"/>.</summary>
    public WasiFileSystem(WasiFdTable descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        _descriptors = descriptors;
    }

    /// <summary>Defines every <c>fd_*</c> and <c>path_*</c> function.</summary>
    public void Define(Linker linker)
    {
        WasiBinding.Define(linker, "fd_advise", [I32, I64, I64, I32], (_, a) => Valid(a[0].I32));
        WasiBinding.Define(linker, "fd_allocate", [I32, I64, I64], (_, a) => Allocate(a[0].I32, a[1].I64, a[2].I64));
        WasiBinding.Define(linker, "fd_close", [I32], (_, a) => _descriptors.Close(a[0].I32) ? WasiErrno.Success : WasiErrno.BadDescriptor);
        WasiBinding.Define(linker, "fd_datasync", [I32], (_, a) => Sync(a[0].I32));
        WasiBinding.Define(linker, "fd_sync", [I32], (_, a) => Sync(a[0].I32));
        WasiBinding.Define(linker, "fd_fdstat_get", [I32, I32], (c, a) => FdstatGet(c, a[0].I32, a[1].I32));
        WasiBinding.Define(linker, "fd_fdstat_set_flags", [I32, I32], (_, a) => ValidThen(a[0].I32, WasiErrno.NotSupported));
        WasiBinding.Define(linker, "fd_fdstat_set_rights", [I32, I64, I64], (_, a) => ValidThen(a[0].I32, WasiErrno.NotSupported));
        WasiBinding.Define(linker, "fd_filestat_get", [I32, I32], (c, a) => FilestatGet(c, a[0].I32, a[1].I32));
        WasiBinding.Define(linker, "fd_filestat_set_size", [I32, I64], (_, a) => SetSize(a[0].I32, a[1].I64));
        WasiBinding.Define(linker, "fd_filestat_set_times", [I32, I64, I64, I32], (_, a) => ValidThen(a[0].I32, WasiErrno.NotSupported));
        WasiBinding.Define(linker, "fd_pread", [I32, I32, I32, I64, I32], (c, a) => Read(c, a[0].I32, a[1].I32, a[2].I32, a[3].I64, a[4].I32));
        WasiBinding.Define(linker, "fd_read", [I32, I32, I32, I32], (c, a) => Read(c, a[0].I32, a[1].I32, a[2].I32, null, a[3].I32));
        WasiBinding.Define(linker, "fd_pwrite", [I32, I32, I32, I64, I32], (c, a) => Write(c, a[0].I32, a[1].I32, a[2].I32, a[3].I64, a[4].I32));
        WasiBinding.Define(linker, "fd_write", [I32, I32, I32, I32], (c, a) => Write(c, a[0].I32, a[1].I32, a[2].I32, null, a[3].I32));
        WasiBinding.Define(linker, "fd_prestat_get", [I32, I32], (c, a) => PrestatGet(c, a[0].I32, a[1].I32));
        WasiBinding.Define(linker, "fd_prestat_dir_name", [I32, I32, I32], (c, a) => PrestatDirName(c, a[0].I32, a[1].I32, a[2].I32));
        WasiBinding.Define(linker, "fd_readdir", [I32, I32, I32, I64, I32], (c, a) => ReadDirectory(c, a[0].I32, a[1].I32, a[2].I32, a[3].I64, a[4].I32));
        WasiBinding.Define(linker, "fd_renumber", [I32, I32], (_, a) => _descriptors.Renumber(a[0].I32, a[1].I32) ? WasiErrno.Success : WasiErrno.BadDescriptor);
        WasiBinding.Define(linker, "fd_seek", [I32, I64, I32, I32], (c, a) => Seek(c, a[0].I32, a[1].I64, a[2].I32, a[3].I32));
        WasiBinding.Define(linker, "fd_tell", [I32, I32], (c, a) => Seek(c, a[0].I32, 0, WhenceCurrent, a[1].I32));
        DefinePaths(linker);
    }

    private static void WriteFilestat(Span<byte> target, WasiFileStat stat, ulong linkCount)
    {
        target[..FilestatSize].Clear();
        target[16] = (byte)stat.Type;
        BinaryPrimitives.WriteUInt64LittleEndian(target[24..], linkCount);
        BinaryPrimitives.WriteUInt64LittleEndian(target[32..], stat.Size);
        BinaryPrimitives.WriteUInt64LittleEndian(target[40..], stat.AccessTimeNs);
        BinaryPrimitives.WriteUInt64LittleEndian(target[48..], stat.ModificationTimeNs);
        BinaryPrimitives.WriteUInt64LittleEndian(target[56..], stat.ChangeTimeNs);
    }

    private WasiErrno Valid(int fd) => _descriptors.TryGet(fd, out _) ? WasiErrno.Success : WasiErrno.BadDescriptor;

    private WasiErrno ValidThen(int fd, WasiErrno errno) => _descriptors.TryGet(fd, out _) ? errno : WasiErrno.BadDescriptor;

    private WasiErrno Allocate(int fd, long offset, long length)
    {
        if (!_descriptors.TryGet(fd, out var d))
        {
            return WasiErrno.BadDescriptor;
        }

        if (d is not WasiFileDescriptor { Writable: true } file)
        {
            return d is WasiFileDescriptor ? WasiErrno.BadDescriptor : WasiErrno.NotSupported;
        }

        if (offset < 0 || length < 0 || offset > long.MaxValue - length)
        {
            return WasiErrno.Invalid;
        }

        return offset + length > file.File.Length ? file.File.SetLength(offset + length) : WasiErrno.Success;
    }

    private WasiErrno Sync(int fd)
    {
        if (!_descriptors.TryGet(fd, out var d))
        {
            return WasiErrno.BadDescriptor;
        }

        switch (d)
        {
            case WasiFileDescriptor file:
                return file.Writable ? file.File.Flush() : WasiErrno.Success;
            case WasiStreamDescriptor { Writable: true, Stream: { } stream }:
                try
                {
                    stream.Flush();
                    return WasiErrno.Success;
                }
                catch (IOException)
                {
                    return WasiErrno.IO;
                }

            default:
                return WasiErrno.Success;
        }
    }

    private WasiErrno FdstatGet(Caller caller, int fd, int resultPtr)
    {
        if (!_descriptors.TryGet(fd, out var d))
        {
            return WasiErrno.BadDescriptor;
        }

        if (!new GuestMemory(caller).TrySpan(resultPtr, 24, out var target))
        {
            return WasiErrno.Fault;
        }

        ushort flags = 0;
        ulong rightsBase, rightsInheriting = 0;
        switch (d)
        {
            case WasiStreamDescriptor s:
                rightsBase = (s.Readable ? WasiRights.FdRead : 0) | (s.Writable ? WasiRights.FdWrite : 0) | WasiRights.PollFdReadwrite | WasiRights.FdFilestatGet;
                break;
            case WasiFileDescriptor f:
                rightsBase = WasiRights.FileOperations;
                if (!f.Readable)
                {
                    rightsBase &= ~WasiRights.FdRead;
                }

                if (!f.Writable)
                {
                    rightsBase &= ~(WasiRights.FdWrite | WasiRights.FdAllocate | WasiRights.FdFilestatSetSize);
                }

                flags = f.Append ? (ushort)1 : (ushort)0;
                break;
            default:
                rightsBase = WasiRights.DirectoryOperations;
                rightsInheriting = WasiRights.DirectoryOperations | WasiRights.FileOperations;
                break;
        }

        target[..24].Clear();
        target[0] = (byte)d.FileType;
        BinaryPrimitives.WriteUInt16LittleEndian(target[2..], flags);
        BinaryPrimitives.WriteUInt64LittleEndian(target[8..], rightsBase);
        BinaryPrimitives.WriteUInt64LittleEndian(target[16..], rightsInheriting);
        return WasiErrno.Success;
    }

    private WasiErrno FilestatGet(Caller caller, int fd, int resultPtr)
    {
        if (!_descriptors.TryGet(fd, out var d))
        {
            return WasiErrno.BadDescriptor;
        }

        WasiFileStat stat;
        switch (d)
        {
            case WasiFileDescriptor file:
                stat = file.File.Stat();
                break;
            case WasiDirectoryDescriptor dir:
                var errno = dir.FileSystem.Stat(dir.Path, out stat);
                if (errno != WasiErrno.Success)
                {
                    return errno;
                }

                break;
            default:
                stat = new WasiFileStat(WasiFileType.CharacterDevice, 0);
                break;
        }

        if (!new GuestMemory(caller).TrySpan(resultPtr, FilestatSize, out var target))
        {
            return WasiErrno.Fault;
        }

        WriteFilestat(target, stat, 1);
        return WasiErrno.Success;
    }

    private WasiErrno SetSize(int fd, long size)
    {
        if (!_descriptors.TryGet(fd, out var d))
        {
            return WasiErrno.BadDescriptor;
        }

        if (d is not WasiFileDescriptor file)
        {
            return WasiErrno.Invalid;
        }

        if (!file.Writable)
        {
            return WasiErrno.BadDescriptor;
        }

        return size < 0 ? WasiErrno.Invalid : file.File.SetLength(size);
    }

    /// <summary>fd_read and fd_pread (<paramref name="offset"/> set): scatter into the iovecs, stop at a short read.</summary>
    private WasiErrno Read(Caller caller, int fd, int iovs, int iovsLength, long? offset, int resultPtr)
    {
        if (!_descriptors.TryGet(fd, out var d))
        {
            return WasiErrno.BadDescriptor;
        }

        var memory = new GuestMemory(caller);
        long total = 0;
        switch (d)
        {
            case WasiFileDescriptor { Readable: true } file:
            {
                if (offset < 0)
                {
                    return WasiErrno.Invalid;
                }

                var position = offset ?? file.Position;
                for (var i = 0; i < iovsLength; i++)
                {
                    if (!memory.TryReadU32(iovs + (i * 8), out var buffer) || !memory.TryReadU32(iovs + (i * 8) + 4, out var length)
                        || !memory.TrySpan((int)buffer, (int)length, out var target))
                    {
                        return WasiErrno.Fault;
                    }

                    int n;
                    try
                    {
                        n = file.File.Read(target, position);
                    }
                    catch (IOException)
                    {
                        return WasiErrno.IO;
                    }

                    position += n;
                    total += n;
                    if (n < target.Length)
                    {
                        break;
                    }
                }

                if (offset is null)
                {
                    file.Position = position;
                }

                break;
            }

            case WasiStreamDescriptor { Readable: true } stream when offset is null:
            {
                for (var i = 0; i < iovsLength; i++)
                {
                    if (!memory.TryReadU32(iovs + (i * 8), out var buffer) || !memory.TryReadU32(iovs + (i * 8) + 4, out var length)
                        || !memory.TrySpan((int)buffer, (int)length, out var target))
                    {
                        return WasiErrno.Fault;
                    }

                    int n;
                    try
                    {
                        n = stream.Stream?.Read(target) ?? 0;
                    }
                    catch (IOException)
                    {
                        return WasiErrno.IO;
                    }

                    total += n;
                    if (n < target.Length)
                    {
                        break;
                    }
                }

                break;
            }

            case WasiStreamDescriptor:
                return offset is null ? WasiErrno.BadDescriptor : WasiErrno.InvalidSeek;
            case WasiDirectoryDescriptor:
                return WasiErrno.IsDirectory;
            default:
                return WasiErrno.BadDescriptor;
        }

        return memory.TryWriteU32(resultPtr, (uint)total) ? WasiErrno.Success : WasiErrno.Fault;
    }

    /// <summary>fd_write and fd_pwrite (<paramref name="offset"/> set): gather from the iovecs.</summary>
    private WasiErrno Write(Caller caller, int fd, int iovs, int iovsLength, long? offset, int resultPtr)
    {
        if (!_descriptors.TryGet(fd, out var d))
        {
            return WasiErrno.BadDescriptor;
        }

        var memory = new GuestMemory(caller);
        long total = 0;
        switch (d)
        {
            case WasiFileDescriptor { Writable: true } file:
            {
                if (offset < 0)
                {
                    return WasiErrno.Invalid;
                }

                var position = offset ?? (file.Append ? file.File.Length : file.Position);
                for (var i = 0; i < iovsLength; i++)
                {
                    if (!memory.TryReadU32(iovs + (i * 8), out var buffer) || !memory.TryReadU32(iovs + (i * 8) + 4, out var length)
                        || !memory.TrySpan((int)buffer, (int)length, out var source))
                    {
                        return WasiErrno.Fault;
                    }

                    var errno = file.File.Write(source, position);
                    if (errno != WasiErrno.Success)
                    {
                        return errno;
                    }

                    position += source.Length;
                    total += source.Length;
                }

                if (offset is null)
                {
                    file.Position = position;
                }

                break;
            }

            case WasiStreamDescriptor { Writable: true } stream when offset is null:
            {
                for (var i = 0; i < iovsLength; i++)
                {
                    if (!memory.TryReadU32(iovs + (i * 8), out var buffer) || !memory.TryReadU32(iovs + (i * 8) + 4, out var length)
                        || !memory.TrySpan((int)buffer, (int)length, out var source))
                    {
                        return WasiErrno.Fault;
                    }

                    try
                    {
                        stream.Stream?.Write(source);
                    }
                    catch (IOException)
                    {
                        // A closed pipe or full disk on the host side is the guest's EIO, not a crash of the host.
                        return WasiErrno.IO;
                    }

                    total += source.Length;
                }

                break;
            }

            case WasiStreamDescriptor:
                return offset is null ? WasiErrno.BadDescriptor : WasiErrno.InvalidSeek;
            case WasiDirectoryDescriptor:
                return WasiErrno.IsDirectory;
            default:
                return WasiErrno.BadDescriptor;
        }

        return memory.TryWriteU32(resultPtr, (uint)total) ? WasiErrno.Success : WasiErrno.Fault;
    }

    private WasiErrno PrestatGet(Caller caller, int fd, int resultPtr)
    {
        if (!_descriptors.TryGet(fd, out var d) || d is not WasiDirectoryDescriptor { PreopenName: { } name })
        {
            return WasiErrno.BadDescriptor;
        }

        var memory = new GuestMemory(caller);
        if (!memory.TrySpan(resultPtr, 8, out var target))
        {
            return WasiErrno.Fault;
        }

        // prestat: tag u8 (0 = dir) then the name length u32 at offset 4.
        target[..8].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(target[4..], (uint)Encoding.UTF8.GetByteCount(name));
        return WasiErrno.Success;
    }

    private WasiErrno PrestatDirName(Caller caller, int fd, int pathPtr, int pathLength)
    {
        if (!_descriptors.TryGet(fd, out var d) || d is not WasiDirectoryDescriptor { PreopenName: { } name })
        {
            return WasiErrno.BadDescriptor;
        }

        var bytes = Encoding.UTF8.GetBytes(name);
        if ((uint)pathLength < (uint)bytes.Length)
        {
            return WasiErrno.Overflow;
        }

        if (!new GuestMemory(caller).TrySpan(pathPtr, bytes.Length, out var target))
        {
            return WasiErrno.Fault;
        }

        bytes.CopyTo(target);
        return WasiErrno.Success;
    }

    private WasiErrno ReadDirectory(Caller caller, int fd, int buffer, int bufferLength, long cookie, int resultPtr)
    {
        if (!_descriptors.TryGet(fd, out var d))
        {
            return WasiErrno.BadDescriptor;
        }

        if (d is not WasiDirectoryDescriptor dir)
        {
            return WasiErrno.NotDirectory;
        }

        var errno = dir.FileSystem.ReadDirectory(dir.Path, out var children);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        var memory = new GuestMemory(caller);
        if (!memory.TrySpan(buffer, bufferLength, out var target))
        {
            return WasiErrno.Fault;
        }

        // Entries: ".", "..", then the children; d_next is the index of the next entry (the next cookie).
        var used = 0;
        var count = children.Count + 2;
        Span<byte> header = stackalloc byte[DirentSize];
        for (var i = cookie < 0 ? 0 : cookie; i < count && used < target.Length; i++)
        {
            var (entryName, type) = i switch
            {
                0 => (".", WasiFileType.Directory),
                1 => ("..", WasiFileType.Directory),
                _ => (children[(int)i - 2].Name, children[(int)i - 2].Type),
            };
            var nameBytes = Encoding.UTF8.GetBytes(entryName);
            header.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)(i + 1));
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)nameBytes.Length);
            header[20] = (byte)type;
            used += CopyTruncated(header, target[used..]);
            used += CopyTruncated(nameBytes, target[used..]);
        }

        return memory.TryWriteU32(resultPtr, (uint)used) ? WasiErrno.Success : WasiErrno.Fault;

        static int CopyTruncated(ReadOnlySpan<byte> source, Span<byte> destination)
        {
            var n = Math.Min(source.Length, destination.Length);
            source[..n].CopyTo(destination);
            return n;
        }
    }

    private WasiErrno Seek(Caller caller, int fd, long offset, int whence, int resultPtr)
    {
        if (!_descriptors.TryGet(fd, out var d))
        {
            return WasiErrno.BadDescriptor;
        }

        if (d is not WasiFileDescriptor file)
        {
            return d is WasiStreamDescriptor ? WasiErrno.InvalidSeek : WasiErrno.BadDescriptor;
        }

        long position;
        try
        {
            position = whence switch
            {
                WhenceSet => offset,
                WhenceCurrent => checked(file.Position + offset),
                WhenceEnd => checked(file.File.Length + offset),
                _ => -1,
            };
        }
        catch (OverflowException)
        {
            return WasiErrno.Invalid;
        }

        if (position < 0)
        {
            return WasiErrno.Invalid;
        }

        file.Position = position;
        return new GuestMemory(caller).TryWriteU64(resultPtr, (ulong)position) ? WasiErrno.Success : WasiErrno.Fault;
    }
}
