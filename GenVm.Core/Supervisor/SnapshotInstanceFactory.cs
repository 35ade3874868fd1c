using System.Collections.Concurrent;
using GenVm.Core.Wasi;
using GenVm.Wasm;
using GenVm.Wasm.Compilation;
using GenVm.Wasm.Snapshots;

namespace GenVm.Core.Supervisor;

/// <summary>
/// An <see cref="IVmInstanceFactory"/> that starts reactor interpreters (our CPython runner) from a snapshot of an
/// already started one instead of booting them (docs/decisions.md "Python snapshots"). Per
/// <see cref="VmSnapshotKey"/> it boots normally until a VM's guarded start-up (<see cref="ReactorStartup"/>) was clean,
/// captures that VM's instance right after its start-up, and from then on restores the capture into each new VM whose
/// file system answers the start-up's lookups the same way (<see cref="DetStartupTrace.Matches"/>), then puts the WASI
/// state the start-up left (det random outputs consumed, descriptor numbering) into the VM's own host. Non-det VMs
/// are snapshotted too, once per process from the OS entropy of their first captured boot, and never loaded from or
/// written to the store: the interpreter's str-hash secret, drawn by that boot, is then shared by the process's
/// non-det VMs and by no other process (docs/decisions.md "Non-det snapshots"). Everything else (linked modules, a
/// command module, a start-up that read the message, the host, other non-det entropy, or wrote output) takes the
/// normal path, <see cref="LinkingInstanceFactory"/>. Thread-safe: one capture per key at a time, restores in parallel.
/// </summary>
internal sealed class SnapshotInstanceFactory : IVmInstanceFactory, IDisposable
{
    private readonly ConcurrentDictionary<VmSnapshotKey, Entry> _entries = new();
    private readonly ConcurrentQueue<VmSnapshotKey> _order = new();
    private readonly int _capacity;
    private readonly int _bootsBeforeCapture;
    private readonly int _nondetBootsBeforeCapture;
    private readonly bool _nondet;
    private readonly PoolLimiter? _memory;
    private readonly IVmSnapshotStore? _store;
    private long _restores;
    private long _captures;
    private long _boots;
    private long _nondetRestores;
    private long _nondetBoots;

    /// <summary>Creates the factory.</summary>
    /// <param name="capacity">How many snapshots are kept (the oldest is dropped beyond it).</param>
    /// <param name="bootsBeforeCapture">
    /// How many VMs of a key boot before one is captured: 0 captures the first (a capture costs a copy of the
    /// interpreter's memory, which a one-execution process never gets back), 1 the second.
    /// </param>
    /// <param name="memory">
    /// The process's memory accounting (an <see cref="Pool.ExecutionPool"/>'s process pool): each kept snapshot is
    /// charged its memory size until dropped; a snapshot that does not fit is not kept. Null charges nothing.
    /// </param>
    /// <param name="store">
    /// Where det snapshots not captured in this process come from, and where det captures go; null keeps them in
    /// memory only. Non-det snapshots always stay in memory.
    /// </param>
    /// <param name="nondet">Whether non-det VMs are snapshotted (false: each boots and draws its own hash secret).</param>
    /// <param name="nondetBootsBeforeCapture">
    /// <paramref name="bootsBeforeCapture"/> for non-det keys (which the store never holds, so a capture pays off only
    /// in this process); null: the same as <paramref name="bootsBeforeCapture"/>.
    /// </param>
    public SnapshotInstanceFactory(int capacity = 4, int bootsBeforeCapture = 0, ResourcePool? memory = null, IVmSnapshotStore? store = null, bool nondet = true, int? nondetBootsBeforeCapture = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(bootsBeforeCapture);
        ArgumentOutOfRangeException.ThrowIfNegative(nondetBootsBeforeCapture ?? 0);
        _capacity = capacity;
        _bootsBeforeCapture = bootsBeforeCapture;
        _nondetBootsBeforeCapture = nondetBootsBeforeCapture ?? bootsBeforeCapture;
        _nondet = nondet;
        _memory = memory is null ? null : new PoolLimiter(memory);
        _store = store;
    }

    /// <summary>VMs started from a snapshot.</summary>
    public long Restores => Interlocked.Read(ref _restores);

    /// <summary>Snapshots captured.</summary>
    public long Captures => Interlocked.Read(ref _captures);

    /// <summary>Reactor VMs that booted (no usable snapshot yet, or a key that cannot be snapshotted).</summary>
    public long Boots => Interlocked.Read(ref _boots);

    /// <summary>Of <see cref="Restores"/>, the non-det VMs.</summary>
    public long NondetRestores => Interlocked.Read(ref _nondetRestores);

    /// <summary>Of <see cref="Boots"/>, the non-det VMs.</summary>
    public long NondetBoots => Interlocked.Read(ref _nondetBoots);

    /// <summary>Bytes of the snapshots kept now.</summary>
    public long Bytes => _entries.Values.Sum(e => e.Snapshot?.Bytes ?? 0);

    /// <summary>Why start-ups of a key were not snapshotted (the guard's taints, or the capture's failure); empty if none.</summary>
    public IReadOnlyList<string> Refusals => [.. _entries.Values.Select(e => e.Refusal).OfType<string>()];

    /// <inheritdoc/>
    public Instance? Instantiate(VmInstanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Loaded.Reactor || request.Loaded.Linked.Count > 0)
        {
            return LinkingInstanceFactory.Instance.Instantiate(request);
        }

        var module = request.Compile(request.Loaded.Start);
        if (!ReactorStartup.IsReactor(module))
        {
            return LinkingInstanceFactory.Instance.Instantiate(request);
        }

        var timing = PhaseTimings.Start();
        var key = VmSnapshotKey.For(request, module);
        timing = PhaseTimings.Stop("snapshot key", timing);
        var entry = _entries.GetOrAdd(key, k =>
        {
            _order.Enqueue(k);
            return new Entry();
        });
        Trim();
        var obtained = Obtain(key, entry, module);
        timing = PhaseTimings.Stop("snapshot obtain", timing);
        if (obtained is { } restored && TryRestore(request, restored, entry, out var instance))
        {
            PhaseTimings.Stop("snapshot restore", timing);
            return instance;
        }

        return Boot(request, module, key, entry);
    }

    /// <summary>
    /// The snapshot for <paramref name="key"/>: the one kept in memory, else the store's (then kept), else null.
    /// </summary>
    public VmSnapshot? Obtain(VmSnapshotKey key, Module module)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _entries.TryGetValue(key, out var entry) ? Obtain(key, entry, module) : null;
    }

    /// <summary>Drops every kept snapshot.</summary>
    public void Dispose()
    {
        foreach (var key in _entries.Keys)
        {
            if (_entries.TryRemove(key, out var entry))
            {
                Drop(entry);
            }
        }
    }

    private VmSnapshot? Obtain(VmSnapshotKey key, Entry entry, Module module)
    {
        if (entry.Snapshot is { } kept || entry.Refusal is not null)
        {
            return entry.Snapshot;
        }

        // docs/decisions.md "Non-det snapshots": a non-det snapshot holds this process's hash secret; never another's.
        if (_store is null || entry.StoreTried || !key.Persistent)
        {
            return null;
        }

        lock (entry)
        {
            if (entry.StoreTried)
            {
                return entry.Snapshot;
            }

            entry.StoreTried = true;
            if (_store.TryLoad(key, module) is { } loaded)
            {
                Keep(entry, loaded);
            }

            return entry.Snapshot;
        }
    }

    private bool TryRestore(VmInstanceRequest request, VmSnapshot snapshot, Entry entry, out Instance? instance)
    {
        instance = null;
        var timing = PhaseTimings.Start();
        var matches = entry.Matches(snapshot, request.Loaded.FileSystem);
        PhaseTimings.Stop("snapshot match", timing);
        if (!matches || !entry.TryEnter())
        {
            return false;
        }

        try
        {
            request.BeforeStart?.Invoke();

            // The order of a boot: the instance's memory is charged, then the start-up's descriptors and randomness.
            instance = snapshot.Instance.Instantiate(request.Linker, request.Store);
            request.Instances.Add(instance);
            request.Wasi.Descriptors.Adopt(snapshot.Descriptors);
            request.Wasi.SkipRandom(snapshot.RandomWords);
        }
        finally
        {
            entry.Exit(this);
        }

        Interlocked.Increment(ref _restores);
        if (!request.Deterministic)
        {
            Interlocked.Increment(ref _nondetRestores);
        }

        return true;
    }

    private Instance Boot(VmInstanceRequest request, Module module, VmSnapshotKey key, Entry entry)
    {
        Interlocked.Increment(ref _boots);
        if (!request.Deterministic)
        {
            Interlocked.Increment(ref _nondetBoots);
        }

        request.BeforeStart?.Invoke();
        var instance = request.Linker.Instantiate(request.Store, module);
        request.Instances.Add(instance);
        var guard = new DetStartupGuard(request.Loaded.FileSystem.Root);
        ReactorStartup.Initialize(instance, request.Wasi, guard, request.Loaded.FileSystem);
        var bootsBeforeCapture = key.Persistent ? _bootsBeforeCapture : _nondetBootsBeforeCapture;
        if (!key.Persistent && !_nondet)
        {
            entry.Refusal ??= "non-det snapshots are off";
            return instance;
        }

        if (entry.Snapshot is not null || entry.Refusal is not null || Interlocked.Increment(ref entry.Boots) <= bootsBeforeCapture)
        {
            return instance;
        }

        if (guard.Taints.Count > 0)
        {
            entry.Refusal = "start-up not snapshot-safe: " + string.Join(", ", guard.Taints.Distinct());
            return instance;
        }

        // The start-up must have closed what it opened (fd 0-3 are never closed: that taints).
        if (request.Wasi.Descriptors.OpenCount != 4)
        {
            entry.Refusal = $"start-up left {request.Wasi.Descriptors.OpenCount - 4} descriptors open";
            return instance;
        }

        // One capture per key; VMs arriving meanwhile just boot.
        if (!Monitor.TryEnter(entry))
        {
            return instance;
        }

        try
        {
            if (entry.Snapshot is not null)
            {
                return instance;
            }

            InstanceSnapshot captured;
            try
            {
                captured = InstanceSnapshot.Capture(instance);
            }
            catch (SnapshotMismatchException e)
            {
                entry.Refusal = "capture failed: " + e.Message;
                return instance;
            }

            var snapshot = new VmSnapshot(captured, guard.RandomWords, request.Wasi.Descriptors.Numbering, guard.Trace());
            Interlocked.Increment(ref _captures);
            if (Keep(entry, snapshot) && key.Persistent)
            {
                _store?.Save(key, snapshot);
            }
        }
        finally
        {
            Monitor.Exit(entry);
        }

        return instance;
    }

    // Charges the snapshot to the process's memory; one that does not fit is dropped (the key keeps booting).
    private bool Keep(Entry entry, VmSnapshot snapshot)
    {
        if (_memory is not null && !_memory.TryCharge(snapshot.Bytes))
        {
            snapshot.Dispose();
            return false;
        }

        entry.Snapshot = snapshot;
        return true;
    }

    private void Trim()
    {
        while (_entries.Count > _capacity && _order.TryDequeue(out var oldest))
        {
            if (_entries.TryRemove(oldest, out var entry))
            {
                Drop(entry);
            }
        }
    }

    private void Drop(Entry entry) => entry.Evict(this);

    private void Release(VmSnapshot snapshot)
    {
        _memory?.Refund(snapshot.Bytes);
        snapshot.Dispose();
    }

    /// <summary>The state of one key: its snapshot, why it cannot have one, and the restores using it right now.</summary>
    private sealed class Entry
    {
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<VirtualFileSystem, object> _verified = new();
        private readonly object _gate = new();
        private int _users;
        private bool _evicted;

        public int Boots;

        public volatile VmSnapshot? Snapshot;

        public volatile string? Refusal;

        public volatile bool StoreTried;

        // A file system is checked against the trace once (the runner registry shares it between loads of a contract).
        public bool Matches(VmSnapshot snapshot, VirtualFileSystem fileSystem)
        {
            if (_verified.TryGetValue(fileSystem, out var verdict))
            {
                return ReferenceEquals(verdict, snapshot);
            }

            var matches = snapshot.Trace.Matches(fileSystem);
            _verified.AddOrUpdate(fileSystem, matches ? snapshot : new object());
            return matches;
        }

        public bool TryEnter()
        {
            lock (_gate)
            {
                if (_evicted)
                {
                    return false;
                }

                _users++;
                return true;
            }
        }

        public void Exit(SnapshotInstanceFactory owner)
        {
            lock (_gate)
            {
                _users--;
                if (_evicted && _users == 0 && Snapshot is { } snapshot)
                {
                    Snapshot = null;
                    owner.Release(snapshot);
                }
            }
        }

        public void Evict(SnapshotInstanceFactory owner)
        {
            lock (_gate)
            {
                _evicted = true;
                if (_users == 0 && Snapshot is { } snapshot)
                {
                    Snapshot = null;
                    owner.Release(snapshot);
                }
            }
        }
    }
}
