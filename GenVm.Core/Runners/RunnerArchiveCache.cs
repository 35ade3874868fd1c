namespace GenVm.Core.Runners;

/// <summary>
/// Process-wide cache of loaded archives (runners.md §9 allows any scheme: caching has no observable effect), keyed
/// by resolved <c>id:hash</c> for runners and by a content key for contracts. Thread-safe; least recently used
/// archives are dropped once the total of their sizes exceeds <see cref="CapacityBytes"/>.
/// </summary>
internal sealed class RunnerArchiveCache
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, RunnerArchive Archive)>> _byKey = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, RunnerArchive Archive)> _recency = new();
    private long _bytes;

    /// <summary>Creates a cache holding at most <paramref name="capacityBytes"/> bytes of archives (one archive larger than that is still kept alone).</summary>
    public RunnerArchiveCache(long capacityBytes = 1L << 30)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    /// <summary>The shared per-process instance (1 GiB).</summary>
    public static RunnerArchiveCache Shared { get; } = new();

    /// <summary>The byte budget.</summary>
    public long CapacityBytes { get; }

    /// <summary>The archives held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byKey.Count;
            }
        }
    }

    /// <summary>
    /// The cached archive for <paramref name="key"/>, or the one <paramref name="load"/> returns (which is then
    /// cached). <paramref name="load"/> runs outside the lock; if two threads race, the first stored archive wins.
    /// Failures are not cached.
    /// </summary>
    public RunnerArchive GetOrAdd(string key, Func<RunnerArchive> load)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(load);
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var hit))
            {
                _recency.Remove(hit);
                _recency.AddFirst(hit);
                return hit.Value.Archive;
            }
        }

        var archive = load();
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var raced))
            {
                return raced.Value.Archive;
            }

            _byKey[key] = _recency.AddFirst((key, archive));
            _bytes += archive.TotalSize;
            while (_bytes > CapacityBytes && _recency.Count > 1)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _byKey.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Archive.TotalSize;
            }

            return archive;
        }
    }
}
