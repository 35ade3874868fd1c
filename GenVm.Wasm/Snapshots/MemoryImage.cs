using System.Runtime.InteropServices;
using GenVm.Wasm.Runtime;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// The bytes of one linear memory at capture time. On Linux they live in an anonymous memory file that restores map
/// copy-on-write over the target memory (cost independent of the memory's size; the kernel drops the pages the guest
/// dirtied since); elsewhere, or when the snapshot was captured without copy-on-write, restores copy them.
/// Pages that are entirely zero are never written to the file (they read back as zero), so an image costs about what
/// the guest actually used. An image read from a snapshot file (<see cref="FromFile"/>) maps the file's page runs
/// the same way, so restoring it costs one mapping per run whatever the memory's size. Immutable once captured; safe
/// to restore from several threads at once.
/// </summary>
internal sealed unsafe class MemoryImage : IDisposable
{
    private const int PageBytes = 4096;

    private readonly int _fd;
    private readonly PageRun[]? _runs;
    private byte* _view;

    private MemoryImage(long length, int fd, byte* view, PageRun[]? runs = null)
    {
        Length = length;
        _fd = fd;
        _view = view;
        _runs = runs;
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
    /// An image whose non-zero bytes are the <paramref name="runs"/> of the open snapshot file <paramref name="fd"/>
    /// (every offset and length a multiple of the system page size; the image takes ownership of the descriptor).
    /// The pages are mapped copy-on-write on demand: nothing is read here. Linux only (<see cref="MemoryMapping.Supported"/>).
    /// </summary>
    /// <exception cref="WasmException">A mapping failed (the descriptor is closed).</exception>
    public static MemoryImage FromFile(long length, int fd, PageRun[] runs)
    {
        if (length == 0)
        {
            MemoryMapping.Close(fd);
            return new MemoryImage(0, -1, null);
        }

        var view = MemoryMapping.Map(null, (ulong)length, MemoryMapping.ProtRead, MemoryMapping.MapPrivate | MemoryMapping.MapAnonymous | MemoryMapping.MapNoReserve, -1);
        if (view == null)
        {
            MemoryMapping.Close(fd);
            throw new WasmException($"cannot reserve {length} bytes for a memory snapshot (errno {Marshal.GetLastPInvokeError()})");
        }

        var image = new MemoryImage(length, fd, view, runs);
        try
        {
            image.MapRuns(view, MemoryMapping.ProtRead);
        }
        catch
        {
            image.Dispose();
            throw;
        }

        return image;
    }

    /// <summary>An image holding a copy of <paramref name="length"/> bytes, zero except for <paramref name="runs"/> filled by <paramref name="read"/> (systems without mapping).</summary>
    public static MemoryImage FromCopy(long length, PageRun[] runs, Action<PageRun, Span<byte>> read)
    {
        var copy = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(1, length));
        var image = new MemoryImage(length, -1, copy);
        foreach (var run in runs)
        {
            for (long done = 0; done < run.Length; done += 1 << 30)
            {
                var part = (int)Math.Min(1 << 30, run.Length - done);
                read(run with { Offset = run.Offset + done, Length = part, FileOffset = run.FileOffset + done }, new Span<byte>(copy + run.Offset + done, part));
            }
        }

        return image;
    }

    /// <summary>
    /// The runs of pages holding a non-zero byte, in <paramref name="unit"/>-byte pages, ascending; runs separated by
    /// fewer than <paramref name="mergeGap"/> zero pages are merged (one mapping each costs more than a few zero pages).
    /// <see cref="PageRun.FileOffset"/> is left 0.
    /// </summary>
    public List<PageRun> NonZeroRuns(int unit, int mergeGap)
    {
        ObjectDisposedException.ThrowIf(Length > 0 && _view == null, this);
        var runs = new List<PageRun>();
        long start = -1;
        long end = 0;
        for (long offset = 0; offset < Length; offset += unit)
        {
            var size = (int)Math.Min(unit, Length - offset);
            if (new ReadOnlySpan<byte>(_view + offset, size).IndexOfAnyExcept((byte)0) < 0)
            {
                continue;
            }

            if (start >= 0 && offset - end < (long)mergeGap * unit)
            {
                end = offset + size;
                continue;
            }

            if (start >= 0)
            {
                runs.Add(new PageRun(start, end - start, 0));
            }

            start = offset;
            end = offset + size;
        }

        if (start >= 0)
        {
            runs.Add(new PageRun(start, end - start, 0));
        }

        return runs;
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
        if (_runs is not null)
        {
            // Zero the whole range first (instantiation wrote data segments into it), then map the file's runs.
            if (Length > 0 && MemoryMapping.Map(target.Base, (ulong)Length, MemoryMapping.ProtReadWrite, MemoryMapping.MapPrivate | MemoryMapping.MapAnonymous | MemoryMapping.MapFixed | MemoryMapping.MapNoReserve, -1) == null)
            {
                throw new WasmException($"cannot map a memory snapshot (errno {Marshal.GetLastPInvokeError()})");
            }

            MapRuns(target.Base, MemoryMapping.ProtReadWrite);
        }
        else if (IsMapped)
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

    private void MapRuns(byte* start, int protection)
    {
        foreach (var run in _runs!)
        {
            if (MemoryMapping.Map(start + run.Offset, (ulong)run.Length, protection, MemoryMapping.MapPrivate | MemoryMapping.MapFixed, _fd, run.FileOffset) == null)
            {
                throw new WasmException($"cannot map a memory snapshot file (errno {Marshal.GetLastPInvokeError()})");
            }
        }
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
