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
}
