using System.Runtime.InteropServices;
using GenVm.Wasm.Runtime;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// The bytes of one linear memory at capture time. On Linux they live in an anonymous memory file that restores map
/// copy-on-write over the target memory (cost independent of the memory's size; the kernel drops the pages the guest
/// dirtied since); elsewhere, or when the snapshot was captured without copy-on-write, restores copy them.
/// Pages that are entirely zero are never written to the file (they read back as zero), so an image costs about what
/// the guest actually used. Immutable once captured; safe to restore from several threads at once.
/// </summary>
internal sealed unsafe class MemoryImage : IDisposable
{
    private const int PageBytes = 4096;

    private readonly int _fd;
    private byte* _view;

    private MemoryImage(long length, int fd, byte* view)
    {
        Length = length;
        _fd = fd;
        _view = view;
    }

    ~MemoryImage() => Release();

    /// <summary>Bytes (a whole number of wasm pages).</summary>
    public long Length { get; }

    /// <summary>Whether restores map the image (rather than copy it).</summary>
    public bool IsMapped => _fd >= 0;

    /// <summary>The captured bytes (valid until disposal).</summary>
    public ReadOnlySpan<byte> Chunk(long offset, int length) => new(_view + offset, length);

    public static MemoryImage Capture(Memory memory, bool map)
    {
        var length = memory.Length;
        if (length == 0)
        {
            return new MemoryImage(0, -1, null);
        }

        if (map && MemoryMapping.Supported)
        {
            var fd = MemoryMapping.CreateFile("genvm-wasm-snapshot");
            if (fd >= 0)
            {
                var view = MemoryMapping.Resize(fd, length)
                    ? MemoryMapping.Map(null, (ulong)length, MemoryMapping.ProtReadWrite, MemoryMapping.MapShared, fd)
                    : null;
                if (view != null)
                {
                    CopyNonZeroPages(memory.Base, view, length);
                    return new MemoryImage(length, fd, view);
                }

                MemoryMapping.Close(fd);
            }
        }

        var copy = (byte*)NativeMemory.Alloc((nuint)length);
        Buffer.MemoryCopy(memory.Base, copy, length, length);
        return new MemoryImage(length, -1, copy);
    }

    /// <summary>
    /// Makes <paramref name="target"/> hold exactly the image: its size becomes <see cref="Length"/> (the caller has
    /// charged or refunded the difference) and every byte equals the captured one, including zeros past the end of
    /// a smaller image when the memory grows again.
    /// </summary>
    public void RestoreInto(Memory target)
    {
        ObjectDisposedException.ThrowIf(Length > 0 && _view == null, this);
        var current = target.Length;
        if (IsMapped)
        {
            if (MemoryMapping.Map(target.Base, (ulong)Length, MemoryMapping.ProtReadWrite, MemoryMapping.MapPrivate | MemoryMapping.MapFixed, _fd) == null)
            {
                throw new WasmException($"cannot map a memory snapshot (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        else
        {
            if (Length > current && !VirtualMemory.Commit(target.Base + current, (ulong)(Length - current)))
            {
                throw new WasmException("cannot commit linear memory for a snapshot");
            }

            Buffer.MemoryCopy(_view, target.Base, Length, Length);
        }

        if (current > Length)
        {
            Decommit(target.Base + Length, current - Length);
        }

        target.Length = Length;
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private static void CopyNonZeroPages(byte* source, byte* target, long length)
    {
        for (long offset = 0; offset < length; offset += PageBytes)
        {
            var page = new ReadOnlySpan<byte>(source + offset, PageBytes);
            if (page.IndexOfAnyExcept((byte)0) >= 0)
            {
                page.CopyTo(new Span<byte>(target + offset, PageBytes));
            }
        }
    }

    /// <summary>Returns pages past the new end to the reservation's no-access, zero-on-commit state (Memory.Grow commits them again).</summary>
    private static void Decommit(byte* start, long length)
    {
        if (MemoryMapping.Supported
            && MemoryMapping.Map(start, (ulong)length, MemoryMapping.ProtNone, MemoryMapping.MapPrivate | MemoryMapping.MapAnonymous | MemoryMapping.MapFixed | MemoryMapping.MapNoReserve, -1) != null)
        {
            return;
        }

        for (long offset = 0; offset < length; offset += int.MaxValue)
        {
            new Span<byte>(start + offset, (int)Math.Min(int.MaxValue, length - offset)).Clear();
        }
    }

    private void Release()
    {
        var view = _view;
        if (view == null)
        {
            return;
        }

        _view = null;
        if (_fd >= 0)
        {
            MemoryMapping.Unmap(view, (ulong)Length);
            MemoryMapping.Close(_fd);
        }
        else
        {
            NativeMemory.Free(view);
        }
    }
}
