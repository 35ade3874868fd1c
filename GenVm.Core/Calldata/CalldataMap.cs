using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace GenVm.Core.Calldata;

/// <summary>
/// An immutable map from text keys to calldata values (calldata.md §3.5). Entries are kept in canonical order:
/// strictly increasing UTF-8 octet order of the keys (§5), which is the order the encoder emits and enumeration yields.
/// </summary>
public sealed class CalldataMap : CalldataValue, IReadOnlyDictionary<string, CalldataValue>
{
    internal static readonly CalldataMap Empty = new([], []);

    private readonly string[] _keys;
    private readonly CalldataValue[] _values;

    // Takes ownership; keys must already be valid, unique and in canonical order.
    internal CalldataMap(string[] keys, CalldataValue[] values)
    {
        _keys = keys;
        _values = values;
    }

    /// <inheritdoc/>
    public override CalldataKind Kind => CalldataKind.Map;

    /// <summary>The number of entries.</summary>
    public int Count => _keys.Length;

    /// <summary>The keys in canonical order.</summary>
    public IEnumerable<string> Keys => _keys;

    /// <summary>The values, in the canonical order of their keys.</summary>
    public IEnumerable<CalldataValue> Values => _values;

    /// <summary>The keys in canonical order.</summary>
    public ReadOnlySpan<string> KeySpan => _keys;

    /// <summary>The values, in the canonical order of their keys.</summary>
    public ReadOnlySpan<CalldataValue> ValueSpan => _values;

    /// <summary>The value stored under <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The key is absent.</exception>
    public CalldataValue this[string key]
        => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"calldata map has no key \"{key}\"");

    /// <summary>Returns the key of the entry at canonical position <paramref name="index"/>.</summary>
    public string GetKey(int index) => _keys[index];

    /// <summary>Returns the value of the entry at canonical position <paramref name="index"/>.</summary>
    public CalldataValue GetValue(int index) => _values[index];

    /// <summary>True when the key is present.</summary>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>Looks a key up (binary search in canonical order).</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out CalldataValue value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = null;
            return false;
        }

        value = _values[index];
        return true;
    }

    /// <summary>Returns the canonical position of <paramref name="key"/>, or a negative number when absent.</summary>
    public int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int lo = 0, hi = _keys.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = CalldataKeyComparer.Compare(_keys[mid], key);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    /// <summary>Enumerates the entries in canonical order.</summary>
    public IEnumerator<KeyValuePair<string, CalldataValue>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            yield return new KeyValuePair<string, CalldataValue>(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static CalldataMap Create(ReadOnlySpan<KeyValuePair<string, CalldataValue>> entries)
    {
        if (entries.IsEmpty)
        {
            return Empty;
        }

        var keys = new string[entries.Length];
        var values = new CalldataValue[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var key = entries[i].Key;
            ArgumentNullException.ThrowIfNull(key, nameof(entries));
            ArgumentNullException.ThrowIfNull(entries[i].Value, nameof(entries));
            if (!CalldataUtf8.IsValidUtf16(key))
            {
                throw new ArgumentException("calldata map keys must be valid Unicode (lone surrogate found)", nameof(entries));
            }

            keys[i] = key;
            values[i] = entries[i].Value;
        }

        // calldata.md §5: canonical order is UTF-8 octet order, i.e. code point order, not UTF-16 order.
        Array.Sort(keys, values, CalldataKeyComparer.Instance);
        for (var i = 1; i < keys.Length; i++)
        {
            if (CalldataKeyComparer.Compare(keys[i - 1], keys[i]) == 0)
            {
                throw new ArgumentException($"duplicate calldata map key \"{keys[i]}\"", nameof(entries));
            }
        }

        return new CalldataMap(keys, values);
    }
}
