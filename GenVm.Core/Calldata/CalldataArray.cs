using System.Collections;

namespace GenVm.Core.Calldata;

/// <summary>An immutable ordered sequence of calldata values (calldata.md §3.4).</summary>
public sealed class CalldataArray : CalldataValue, IReadOnlyList<CalldataValue>
{
    internal static readonly CalldataArray Empty = new([]);

    private readonly CalldataValue[] _items;

    // Takes ownership of the array; every element must be non-null.
    internal CalldataArray(CalldataValue[] items) => _items = items;

    /// <inheritdoc/>
    public override CalldataKind Kind => CalldataKind.Array;

    /// <summary>The number of elements.</summary>
    public int Count => _items.Length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    public CalldataValue this[int index] => _items[index];

    /// <summary>The elements.</summary>
    public ReadOnlySpan<CalldataValue> Items => _items;

    /// <summary>Returns an enumerator over the elements.</summary>
    public IEnumerator<CalldataValue> GetEnumerator() => ((IEnumerable<CalldataValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static CalldataArray Create(IEnumerable<CalldataValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        CalldataValue[] array = [.. items];
        if (array.Length == 0)
        {
            return Empty;
        }

        foreach (var item in array)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }

        return new CalldataArray(array);
    }
}
