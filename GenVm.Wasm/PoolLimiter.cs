namespace GenVm.Wasm;

/// <summary>
/// One store's account with a shared <see cref="ResourcePool"/> (wasm-abi.md §12): charges linear memory growth in
/// bytes (including the initial size), tables at <see cref="TableEntryCost"/> units per element (including the initial
/// size), and whatever the embedder charges through <see cref="Charge"/>. Everything charged is given back by
/// <see cref="ReleaseAll"/>, which <see cref="Store.Dispose"/> calls. Belongs to one store; thread-safe.
/// </summary>
public sealed class PoolLimiter : IResourceLimiter
{
    /// <summary>Units per table element (the reference's <c>table_entry</c>).</summary>
    public const long TableEntryCost = 64;

    private long _charged;

    /// <summary>Creates an account drawing on <paramref name="pool"/>.</summary>
    public PoolLimiter(ResourcePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        Pool = pool;
    }

    /// <summary>The shared pool.</summary>
    public ResourcePool Pool { get; }

    /// <summary>Units this account holds right now.</summary>
    public long Charged => Volatile.Read(ref _charged);

    /// <inheritdoc />
    public bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes) => TryCharge(desiredBytes - currentBytes);

    /// <inheritdoc />
    public bool TableGrowing(long currentElements, long desiredElements, long? maximumElements) =>
        TryCharge((desiredElements - currentElements) * TableEntryCost);

    /// <inheritdoc />
    public void MemoryGrowFailed(long currentBytes, long desiredBytes) => Refund(desiredBytes - currentBytes);

    /// <inheritdoc />
    public void TableGrowFailed(long currentElements, long desiredElements) =>
        Refund((desiredElements - currentElements) * TableEntryCost);

    /// <summary>Charges <paramref name="units"/> if the pool has them; otherwise charges nothing and returns false.</summary>
    public bool TryCharge(long units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        if (!Pool.TryTake(units))
        {
            return false;
        }

        Interlocked.Add(ref _charged, units);
        return true;
    }

    /// <summary>
    /// An embedder charge (the executor's <c>file_mapping</c>, <c>fd_allocation</c>, result files, archives, …).
    /// </summary>
    /// <exception cref="ResourceExhaustedException">The pool cannot supply <paramref name="units"/> (VMError "OOM").</exception>
    public void Charge(long units, string what)
    {
        if (!TryCharge(units))
        {
            throw new ResourceExhaustedException(what, units);
        }
    }

    /// <summary>
    /// Gives <paramref name="units"/> back before the store ends (for example a result file on <c>fd_close</c>). At
    /// most what this account holds is given back.
    /// </summary>
    public void Refund(long units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        var current = Volatile.Read(ref _charged);
        while (true)
        {
            var give = Math.Min(units, current);
            var seen = Interlocked.CompareExchange(ref _charged, current - give, current);
            if (seen == current)
            {
                Pool.Give(give);
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Adds <paramref name="units"/> to the pool that were never charged: the reference's quirk of returning fd 0's
    /// message size when the guest closes fd 0 (wasm-abi.md §12). The account itself is unchanged.
    /// </summary>
    public void Donate(long units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        Pool.Grant(units);
    }

    /// <summary>Gives back everything this account holds. Called when the store is disposed.</summary>
    public void ReleaseAll() => Pool.Give(Interlocked.Exchange(ref _charged, 0));
}
