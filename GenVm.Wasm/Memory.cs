namespace GenVm.Wasm;

/// <summary>A linear memory. Grows in 64 KiB pages, up to 4 GiB.</summary>
public sealed class Memory
{
    /// <summary>Bytes per page.</summary>
    public const int PageSize = 65536;

    private Memory(MemoryType type) => Type = type;

    /// <summary>The memory's type (its limits at creation).</summary>
    public MemoryType Type { get; }

    /// <summary>Current size in pages.</summary>
    public uint PageCount => throw new NotImplementedException();

    /// <summary>Current size in bytes.</summary>
    public long ByteLength => (long)PageCount * PageSize;

    /// <summary>Creates a standalone memory (for example to satisfy an import).</summary>
    public static Memory Create(Store store, MemoryType type) => throw new NotImplementedException();

    /// <summary>Grows by <paramref name="deltaPages"/>; returns the previous page count, or -1 when refused.</summary>
    public long Grow(uint deltaPages) => throw new NotImplementedException();

    /// <summary>
    /// A view of <paramref name="length"/> bytes at <paramref name="address"/>, or false when out of bounds. The span
    /// dies at the next grow or guest call.
    /// </summary>
    public bool TryGetSpan(ulong address, ulong length, out Span<byte> span) => throw new NotImplementedException();

    /// <summary>Like <see cref="TryGetSpan"/> but traps with <see cref="TrapCode.MemoryOutOfBounds"/> when out of bounds.</summary>
    public Span<byte> GetSpan(ulong address, int length) =>
        TryGetSpan(address, (ulong)length, out var span) ? span : throw new WasmTrapException(TrapCode.MemoryOutOfBounds);
}
