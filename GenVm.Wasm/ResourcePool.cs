namespace GenVm.Wasm;

/// <summary>
/// A budget of resource units (bytes) shared by every store of one mode (wasm-abi.md §12: one det and one non-det
/// pool, each 4 294 967 295 units). Stores draw from it through a <see cref="PoolLimiter"/>; sub-VMs of the same mode
/// compete with their parents. A pool may have a parent (an embedder's cap over many pools, such as a whole process
/// running many executions): every take must then fit both, and every give-back returns to both. Thread-safe.
/// </summary>
public sealed class ResourcePool
{
    /// <summary>The initial size of each of the reference's two pools (wasm-abi.md §12).</summary>
    public const long DefaultCapacity = 4_294_967_295;

    private long _available;

    /// <summary>Creates a pool of <paramref name="capacity"/> units.</summary>
    public ResourcePool(long capacity = DefaultCapacity)
        : this(capacity, null)
    {
    }

    /// <summary>Creates a pool of <paramref name="capacity"/> units whose takes must also fit <paramref name="parent"/>.</summary>
    public ResourcePool(long capacity, ResourcePool? parent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _available = capacity;
        Parent = parent;
    }

    /// <summary>The pool every take of this one also draws on; null when there is none.</summary>
    public ResourcePool? Parent { get; }

    /// <summary>The units the pool started with.</summary>
    public long Capacity { get; }

    /// <summary>The units not charged to any store right now.</summary>
    public long Available => Volatile.Read(ref _available);

    /// <summary>Takes <paramref name="units"/> if that many are available; otherwise takes nothing and returns false.</summary>
    internal bool TryTake(long units)
    {
        if (!TryTakeOwn(units))
        {
            return false;
        }

        if (Parent is { } parent && !parent.TryTake(units))
        {
            Interlocked.Add(ref _available, units);
            return false;
        }

        return true;
    }

    /// <summary>Gives <paramref name="units"/> back (to the parent too).</summary>
    /// <remarks>
    /// Not capped at <see cref="Capacity"/>: the reference adds fd 0's message size back on close although it never
    /// charged it (wasm-abi.md §12, quirk), and the executor reproduces that through <see cref="PoolLimiter"/>.
    /// </remarks>
    internal void Give(long units)
    {
        Interlocked.Add(ref _available, units);
        Parent?.Give(units);
    }

    /// <summary>Adds <paramref name="units"/> that were never taken (the fd 0 quirk); the parent is unchanged.</summary>
    internal void Grant(long units) => Interlocked.Add(ref _available, units);

    private bool TryTakeOwn(long units)
    {
        var current = Volatile.Read(ref _available);
        while (true)
        {
            if (units > current)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _available, current - units, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }
}
