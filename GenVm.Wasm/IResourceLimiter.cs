namespace GenVm.Wasm;

/// <summary>
/// Decides whether a store's memories and tables may grow. Returning false makes <c>memory.grow</c> /
/// <c>table.grow</c> return -1 (and makes instantiation fail when the initial size is refused).
/// </summary>
public interface IResourceLimiter
{
    /// <summary>A memory wants to grow from <paramref name="currentBytes"/> to <paramref name="desiredBytes"/>.</summary>
    bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes);

    /// <summary>A table wants to grow from <paramref name="currentElements"/> to <paramref name="desiredElements"/>.</summary>
    bool TableGrowing(long currentElements, long desiredElements, long? maximumElements);
}
