using GenVm.Wasm.Runtime;

namespace GenVm.Wasm;

/// <summary>A linear memory. Grows in 64 KiB pages, up to 4 GiB.</summary>
public sealed unsafe class Memory
{
    /// <summary>Bytes per page.</summary>
    public const int PageSize = 65536;

    /// <summary>Largest page count of a 32-bit memory (4 GiB).</summary>
    internal const uint MaxPages = 65536;

    // Read by compiled code: the base never moves (the maximum is reserved up front), the length changes on grow.
    internal byte* Base;
    internal long Length;

    private readonly ulong _reserved;
    private readonly uint _maxPages;

    private Memory(Store store, MemoryType type)
    {
        Store = store;
        Type = type;
        _maxPages = Math.Min(type.Limits.Maximum ?? MaxPages, MaxPages);
        _reserved = (ulong)_maxPages * PageSize;
        if (_reserved > 0)
        {
            Base = VirtualMemory.Reserve(_reserved);
            if (Base == null)
            {
                throw new WasmException("cannot reserve address space for a linear memory");
            }
        }
    }

    /// <summary>Releases the reservation if the store was never disposed.</summary>
    ~Memory() => Release();

    /// <summary>The memory's type (its limits at creation).</summary>
    public MemoryType Type { get; }

    /// <summary>Current size in pages.</summary>
    public uint PageCount => (uint)(Length / PageSize);

    /// <summary>Current size in bytes.</summary>
    public long ByteLength => Length;

    internal Store Store { get; }

    /// <summary>Creates a standalone memory (for example to satisfy an import).</summary>
    /// <exception cref="ResourceExhaustedException">The resource limiter refused the initial size.</exception>
    public static Memory Create(Store store, MemoryType type)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        var memory = new Memory(store, type);
        store.Track(memory);
        var initial = (long)type.Limits.Minimum * PageSize;
        var limiter = store.Limiter;
        if (limiter is not null && !limiter.MemoryGrowing(0, initial, type.Limits.Maximum is uint m ? (long)m * PageSize : null))
        {
            // wasm-abi.md §12: a refused initial allocation is OOM for the embedder, not a guest-visible failure.
            throw new ResourceExhaustedException("memory", initial);
        }

        if (!VirtualMemory.Commit(memory.Base, (ulong)initial))
        {
            limiter?.MemoryGrowFailed(0, initial);
            throw new WasmException("cannot commit linear memory");
        }

        memory.Length = initial;
        return memory;
    }

    /// <summary>Grows by <paramref name="deltaPages"/>; returns the previous page count, or -1 when refused.</summary>
    public long Grow(uint deltaPages)
    {
        var old = PageCount;
        if (deltaPages == 0)
        {
            return old;
        }

        var desired = (ulong)old + deltaPages;
        if (desired > _maxPages)
        {
            return -1;
        }

        var desiredBytes = (long)desired * PageSize;
        if (Store.Limiter is { } limiter && !limiter.MemoryGrowing(Length, desiredBytes, Type.Limits.Maximum is uint m ? (long)m * PageSize : null))
        {
            return -1;
        }

        if (!VirtualMemory.Commit(Base + Length, (ulong)(desiredBytes - Length)))
        {
            Store.Limiter?.MemoryGrowFailed(Length, desiredBytes);
            return -1;
        }

        Length = desiredBytes;
        return old;
    }

    /// <summary>
    /// A view of <paramref name="length"/> bytes at <paramref name="address"/>, or false when out of bounds. The span
    /// dies at the next grow or guest call.
    /// </summary>
    public bool TryGetSpan(ulong address, ulong length, out Span<byte> span)
    {
        if (address > (ulong)Length || length > (ulong)Length - address || length > int.MaxValue)
        {
            span = default;
            return false;
        }

        span = new Span<byte>(Base + address, (int)length);
        return true;
    }

    /// <summary>Like <see cref="TryGetSpan"/> but traps with <see cref="TrapCode.MemoryOutOfBounds"/> when out of bounds.</summary>
    public Span<byte> GetSpan(ulong address, int length) =>
        TryGetSpan(address, (ulong)length, out var span) ? span : throw new WasmTrapException(TrapCode.MemoryOutOfBounds);

    /// <summary>Grow on behalf of compiled code (<c>memory.grow</c>): the page delta is an unsigned i32.</summary>
    internal static int GrowFromWasm(Memory memory, int delta) => (int)memory.Grow((uint)delta);

    internal void Release()
    {
        var p = Base;
        if (p != null)
        {
            Base = null;
            Length = 0;
            VirtualMemory.Release(p, _reserved);
            GC.SuppressFinalize(this);
        }
    }
}
