using System.Buffers;
using System.Collections.Concurrent;
using System.IO.MemoryMappedFiles;

namespace GenVm.Core.Runners;

/// <summary>
/// A whole file mapped read-only into memory, as <see cref="Memory{T}"/>. Runner tars are read this way instead of
/// being copied into the managed heap: CPython's tar is 27 MB, of which a run touches the headers, the wasm and the few
/// modules the interpreter imports, so copying all of it cost a fresh <c>genvm exec</c> about 20 ms of CPU
/// (docs/decisions.md "Runner tars are mapped"). Mappings are never unmapped, because a span of a member may outlive
/// every reference to its archive; instead each file is mapped once per process (per path, length and modification
/// time), so they are bounded by the distinct tar files a process loads. Runner tars are content-addressed and
/// replaced by rename, never rewritten in place (runners/pack-runners.py), so the mapped bytes are the bytes the file
/// had when it was opened.
/// </summary>
internal sealed unsafe class MappedFile : MemoryManager<byte>
{
    // Every mapping made, so none is ever released (see above); keyed by full path, stamped by length and mtime.
    private static readonly ConcurrentDictionary<string, (long Length, DateTime Written, MappedFile File)> Mapped = new(StringComparer.Ordinal);

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;
    private readonly int _length;

    private MappedFile(MemoryMappedFile file, MemoryMappedViewAccessor view, int length)
    {
        _file = file;
        _view = view;
        _length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _pointer = pointer + view.PointerOffset;
    }

    /// <summary>
    /// The contents of <paramref name="path"/>: a mapping for files of at least <paramref name="minimumMappedBytes"/>,
    /// else (small files, where a mapping costs more than a copy) a plain array.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read, or is 2 GiB or larger.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static ReadOnlyMemory<byte> Read(string path, long minimumMappedBytes = 1 << 20)
    {
        var fullPath = Path.GetFullPath(path);
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1);
        var length = stream.Length;
        if (length > int.MaxValue)
        {
            throw new IOException($"{path}: {length} bytes is too large");
        }

        if (length < Math.Max(1, minimumMappedBytes))
        {
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return bytes;
        }

        var written = File.GetLastWriteTimeUtc(stream.SafeFileHandle);
        if (Mapped.TryGetValue(fullPath, out var known) && known.Length == length && known.Written == written)
        {
            return known.File.Memory;
        }

        var file = MemoryMappedFile.CreateFromFile(stream, mapName: null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        try
        {
            var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            var mapped = new MappedFile(file, view, (int)length);
            Mapped[fullPath] = (length, written, mapped);
            return mapped.Memory;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override Span<byte> GetSpan() => new(_pointer, _length);

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);

        // The mapping never moves and is never released.
        return new MemoryHandle(_pointer + elementIndex, default, this);
    }

    /// <inheritdoc />
    public override void Unpin()
    {
    }

    /// <summary>Nothing: the mapping is never released (see the type's remarks).</summary>
    protected override void Dispose(bool disposing)
    {
    }
}
