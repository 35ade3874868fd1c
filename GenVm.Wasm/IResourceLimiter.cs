namespace GenVm.Wasm;

/// <summary>
/// Decides whether a store's memories and tables may grow. Returning false makes <c>memory.grow</c> /
/// <c>table.grow</c> return -1 (and makes instantiation fail with <see cref="ResourceExhaustedException"/> when the
/// initial size is refused). <see cref="PoolLimiter"/> is the wasm-abi.md §12 implementation.
/// </summary>
public interface IResourceLimiter
{
    /// <summary>A memory wants to grow from <paramref name="currentBytes"/> to <paramref name="desiredBytes"/>.</summary>
    bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes);

    /// <summary>A table wants to grow from <paramref name="currentElements"/> to <paramref name="desiredElements"/>.</summary>
    bool TableGrowing(long currentElements, long desiredElements, long? maximumElements);

    /// <summary>A growth this limiter allowed failed afterwards (the host could not commit the memory).</summary>
    void MemoryGrowFailed(long currentBytes, long desiredBytes)
    {
    }

    /// <summary>A table growth this limiter allowed failed afterwards.</summary>
    void TableGrowFailed(long currentElements, long desiredElements)
    {
    }

    /// <summary>
    /// A memory was reset to a smaller size (an <see cref="Snapshots.InstanceSnapshot"/> restored into a larger
    /// instance): the bytes between are no longer held. By default handled like a failed growth of that range.
    /// </summary>
    void MemoryShrunk(long currentBytes, long newBytes) => MemoryGrowFailed(newBytes, currentBytes);

    /// <summary>A table was reset to fewer elements (snapshot restore). By default handled like a failed growth of that range.</summary>
    void TableShrunk(long currentElements, long newElements) => TableGrowFailed(newElements, currentElements);
}
