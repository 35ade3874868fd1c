using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Compiled modules by engine and by the SHA-256 of their wasm bytes, so a module is compiled once per engine for as
/// long as the cache lives: one run (wasm-abi.md §5: sub-VMs share the run's compiled modules), or a whole process
/// when an <see cref="Pool.ExecutionPool"/> shares it between executions. The engine stands for its configuration
/// (the pool keeps one engine per configuration), so det and non-det code never mix. Keys are content hashes rather
/// than archive names because names such as <c>on_chain:0x…</c> do not identify code across executions. Failures are
/// not cached. Thread-safe; a module is compiled by one caller while the others wait for it.
/// </summary>
/// <param name="capacity">How many modules are kept; the oldest is dropped beyond it.</param>
internal sealed class ModuleCache(int capacity = int.MaxValue)
{
    // The hash of a slice of a byte array or of a mapped file already seen (runner archives stay in memory for the
    // process, so CPython's wasm is hashed once, not at every execution).
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<(int Offset, int Length), string>> Hashes = new();

    private readonly ConcurrentDictionary<(Engine Engine, string Hash), Lazy<Module>> _modules = new();
    private readonly ConcurrentQueue<(Engine Engine, string Hash)> _order = new();
    private long _hits;
    private long _misses;

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that compiled (or loaded from the on-disk compile cache).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>How many modules are held.</summary>
    public int Count => _modules.Count;

    /// <summary>The module with bytes <paramref name="wasm"/> compiled for <paramref name="engine"/>.</summary>
    /// <exception cref="WasmException">The code does not decode, validate or compile.</exception>
    public Module Get(Engine engine, ReadOnlyMemory<byte> wasm)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var key = (engine, Hash(wasm));
        var created = false;
        var lazy = _modules.GetOrAdd(key, k =>
        {
            created = true;
            return new Lazy<Module>(() => Module.FromBytes(k.Engine, wasm.Span), LazyThreadSafetyMode.ExecutionAndPublication);
        });
        Interlocked.Increment(ref created ? ref _misses : ref _hits);
        try
        {
            var module = lazy.Value;
            if (created)
            {
                _order.Enqueue(key);
                Trim();
            }

            return module;
        }
        catch (Exception)
        {
            _modules.TryRemove(new KeyValuePair<(Engine, string), Lazy<Module>>(key, lazy));
            throw;
        }
    }

    private static string Hash(ReadOnlyMemory<byte> wasm)
    {
        object owner;
        (int, int) slice;
        if (MemoryMarshal.TryGetArray(wasm, out var segment) && segment.Array is not null)
        {
            (owner, slice) = (segment.Array, (segment.Offset, segment.Count));
        }
        else if (MemoryMarshal.TryGetMemoryManager<byte, System.Buffers.MemoryManager<byte>>(wasm, out var manager, out var start, out var length))
        {
            // A runner tar mapped into memory (Runners.MappedFile).
            (owner, slice) = (manager, (start, length));
        }
        else
        {
            return Convert.ToHexStringLower(SHA256.HashData(wasm.Span));
        }

        var known = Hashes.GetValue(owner, _ => new ConcurrentDictionary<(int, int), string>());
        return known.GetOrAdd(slice, _ => Convert.ToHexStringLower(SHA256.HashData(wasm.Span)));
    }

    private void Trim()
    {
        while (_modules.Count > capacity && _order.TryDequeue(out var oldest))
        {
            _modules.TryRemove(oldest, out _);
        }
    }
}
