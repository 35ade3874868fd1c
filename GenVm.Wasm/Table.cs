using GenVm.Wasm.Runtime;

namespace GenVm.Wasm;

/// <summary>A table of references (funcref or externref).</summary>
public sealed class Table
{
    // Read by compiled code; replaced (not resized in place) on grow, so its Length is the table size.
    internal object?[] Elements;

    private Table(Store store, TableType type, uint size, object? init)
    {
        Store = store;
        Type = type;
        Elements = new object?[size];
        if (init is not null)
        {
            Array.Fill(Elements, init);
        }
    }

    /// <summary>The table's type at creation.</summary>
    public TableType Type { get; }

    /// <summary>Current number of elements.</summary>
    public uint Size => (uint)Elements.Length;

    internal Store Store { get; }

    /// <summary>Creates a standalone table filled with <paramref name="init"/>.</summary>
    /// <exception cref="ResourceExhaustedException">The resource limiter refused the initial size.</exception>
    public static Table Create(Store store, TableType type, Value init)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        if (store.Limiter is { } limiter && !limiter.TableGrowing(0, type.Limits.Minimum, type.Limits.Maximum))
        {
            // wasm-abi.md §12: a refused initial allocation is OOM for the embedder.
            throw new ResourceExhaustedException("table", type.Limits.Minimum * PoolLimiter.TableEntryCost);
        }

        return new Table(store, type, type.Limits.Minimum, ValueMarshal.ToReference(init, type.ElementKind));
    }

    /// <summary>The element at <paramref name="index"/>; traps <see cref="TrapCode.TableOutOfBounds"/> past the end.</summary>
    public Value Get(uint index)
    {
        var elements = Elements;
        if (index >= (uint)elements.Length)
        {
            throw new WasmTrapException(TrapCode.TableOutOfBounds);
        }

        return ValueMarshal.FromReference(elements[index], Type.ElementKind);
    }

    /// <summary>Sets the element at <paramref name="index"/>; traps <see cref="TrapCode.TableOutOfBounds"/> past the end.</summary>
    public void Set(uint index, Value value)
    {
        var elements = Elements;
        if (index >= (uint)elements.Length)
        {
            throw new WasmTrapException(TrapCode.TableOutOfBounds);
        }

        elements[index] = ValueMarshal.ToReference(value, Type.ElementKind);
    }

    /// <summary>Grows by <paramref name="delta"/> elements set to <paramref name="init"/>; returns the previous size or -1.</summary>
    public long Grow(uint delta, Value init) => GrowCore(delta, ValueMarshal.ToReference(init, Type.ElementKind));

    internal long GrowCore(uint delta, object? init)
    {
        var old = Elements;
        var desired = (ulong)old.Length + delta;
        var max = Type.Limits.Maximum ?? uint.MaxValue;
        if (desired > max)
        {
            return -1;
        }

        if (delta == 0)
        {
            return old.Length;
        }

        // The CLR caps array lengths well below 2^32; treat larger tables as refused growth.
        if (desired > (ulong)Array.MaxLength)
        {
            return -1;
        }

        var limiter = Store.Limiter;
        if (limiter is not null && !limiter.TableGrowing(old.Length, (long)desired, Type.Limits.Maximum))
        {
            return -1;
        }

        object?[] grown;
        try
        {
            grown = new object?[desired];
        }
        catch (OutOfMemoryException)
        {
            limiter?.TableGrowFailed(old.Length, (long)desired);
            return -1;
        }

        Array.Copy(old, grown, old.Length);
        if (init is not null)
        {
            Array.Fill(grown, init, old.Length, (int)delta);
        }

        Elements = grown;
        return old.Length;
    }
}
