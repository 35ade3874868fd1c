namespace GenVm.Wasm;

/// <summary>A table of references (funcref or externref).</summary>
public sealed class Table
{
    private Table(TableType type) => Type = type;

    /// <summary>The table's type at creation.</summary>
    public TableType Type { get; }

    /// <summary>Current number of elements.</summary>
    public uint Size => throw new NotImplementedException();

    /// <summary>Creates a standalone table filled with <paramref name="init"/>.</summary>
    public static Table Create(Store store, TableType type, Value init) => throw new NotImplementedException();

    /// <summary>The element at <paramref name="index"/>; traps <see cref="TrapCode.TableOutOfBounds"/> past the end.</summary>
    public Value Get(uint index) => throw new NotImplementedException();

    /// <summary>Sets the element at <paramref name="index"/>; traps <see cref="TrapCode.TableOutOfBounds"/> past the end.</summary>
    public void Set(uint index, Value value) => throw new NotImplementedException();

    /// <summary>Grows by <paramref name="delta"/> elements set to <paramref name="init"/>; returns the previous size or -1.</summary>
    public long Grow(uint delta, Value init) => throw new NotImplementedException();
}
