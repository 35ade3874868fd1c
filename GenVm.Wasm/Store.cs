using GenVm.Wasm.Runtime;

namespace GenVm.Wasm;

/// <summary>
/// Owns all runtime objects (instances, memories, tables, globals, host functions) of one guest world. Not
/// thread-safe: one thread at a time runs guest code in a store. Disposing releases all linear memories.
/// </summary>
public sealed class Store : IDisposable
{
    private readonly List<WeakReference<Memory>> _memories = [];
    private bool _disposed;

    /// <summary>Creates an empty store.</summary>
    public Store(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
        State.StackBudget = engine.Config.ValueStackBudget ?? 0;
    }

    /// <summary>
    /// Creates an empty store whose memories, tables and embedder charges draw on <paramref name="pool"/> through a new
    /// <see cref="PoolLimiter"/> (wasm-abi.md §12); everything is given back when the store is disposed.
    /// </summary>
    public Store(Engine engine, ResourcePool pool)
        : this(engine)
    {
        Limiter = new PoolLimiter(pool);
    }

    /// <summary>The engine of this store.</summary>
    public Engine Engine { get; }

    /// <summary>Embedder data (e.g. the executor's per-VM context), reachable from host callbacks via <see cref="Caller.Store"/>.</summary>
    public object? Data { get; set; }

    /// <summary>
    /// Decides memory and table growth; null allows everything up to the type's maximum. A <see cref="PoolLimiter"/>
    /// set here belongs to this store: disposing the store gives back everything it charged.
    /// </summary>
    public IResourceLimiter? Limiter { get; set; }

    /// <summary>The store's pool account, when <see cref="Limiter"/> is a <see cref="PoolLimiter"/> (for embedder charges).</summary>
    public PoolLimiter? Pool => Limiter as PoolLimiter;

    /// <summary>Whether <see cref="Interrupt"/> was called and not cleared.</summary>
    public bool IsInterrupted => Volatile.Read(ref State.Interrupted) != 0;

    /// <summary>The execution state compiled code shares across the store's instances.</summary>
    internal ExecState State { get; } = new();

    /// <summary>
    /// Asks running guest code to stop: it traps with <see cref="TrapCode.Interrupt"/> at the next function entry or
    /// loop header. Safe to call from any thread.
    /// </summary>
    public void Interrupt() => Volatile.Write(ref State.Interrupted, 1);

    /// <summary>Clears a previous <see cref="Interrupt"/>.</summary>
    public void ClearInterrupt() => Volatile.Write(ref State.Interrupted, 0);

    /// <summary>Sets the remaining fuel (values above <see cref="long.MaxValue"/> are clamped).</summary>
    /// <exception cref="InvalidOperationException">The engine does not meter fuel (<see cref="EngineConfig.WithFuel"/>).</exception>
    public void SetFuel(ulong fuel)
    {
        RequireFuel();
        State.Fuel = (long)Math.Min(fuel, long.MaxValue);
    }

    /// <summary>The remaining fuel; 0 once execution ran out (the overshoot of the last block is not reported).</summary>
    /// <exception cref="InvalidOperationException">The engine does not meter fuel.</exception>
    public ulong GetFuel()
    {
        RequireFuel();
        return State.Fuel < 0 ? 0 : (ulong)State.Fuel;
    }

    /// <summary>Adds fuel to what remains (a negative remainder after exhaustion counts as 0), saturating.</summary>
    /// <exception cref="InvalidOperationException">The engine does not meter fuel.</exception>
    public void AddFuel(ulong fuel)
    {
        RequireFuel();
        var current = (ulong)Math.Max(State.Fuel, 0);
        State.Fuel = (long)Math.Min(current + Math.Min(fuel, long.MaxValue), long.MaxValue);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_memories)
        {
            foreach (var weak in _memories)
            {
                if (weak.TryGetTarget(out var memory))
                {
                    memory.Release();
                }
            }

            _memories.Clear();
        }

        // wasm-abi.md §12: everything a VM charged is returned when it is destroyed.
        Pool?.ReleaseAll();
    }

    private void RequireFuel()
    {
        if (!Engine.Config.ConsumeFuel)
        {
            throw new InvalidOperationException("fuel metering is not enabled in the engine configuration (EngineConfig.WithFuel)");
        }
    }

    internal void Track(Memory memory)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_memories)
        {
            _memories.Add(new WeakReference<Memory>(memory));
        }
    }
}
