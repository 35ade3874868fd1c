using System.Text;

namespace GenVm.Modules.Scripting;

/// <summary>
/// A Lua table as data: entries in insertion order (keys are <see cref="string"/>, <see cref="long"/> or
/// <see cref="double"/>; values never nil). Built by C# to push, or read back from the stack.
/// </summary>
internal sealed class LuaTableValue
{
    private readonly List<KeyValuePair<object, object>> _entries = [];

    /// <summary>Entries in order.</summary>
    public IReadOnlyList<KeyValuePair<object, object>> Entries => _entries;

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds an entry; a null value is skipped (nil cannot be stored in a table).</summary>
    public LuaTableValue Add(object key, object? value)
    {
        if (value is not null)
        {
            _entries.Add(new(key, value));
        }

        return this;
    }

    /// <summary>Builds an array table (keys 1..n).</summary>
    public static LuaTableValue FromList(IEnumerable<object?> items)
    {
        var table = new LuaTableValue();
        long i = 1;
        foreach (var item in items)
        {
            table.Add(i++, item);
        }

        return table;
    }

    /// <summary>The value of a string key, or null.</summary>
    public object? this[string key]
    {
        get
        {
            foreach (var (k, v) in _entries)
            {
                if (k is string s && s == key)
                {
                    return v;
                }
            }

            return null;
        }
    }

    /// <summary>Whether the keys are exactly 1..n (an empty table is not a sequence).</summary>
    public bool IsSequence
    {
        get
        {
            if (_entries.Count == 0)
            {
                return false;
            }

            var seen = new bool[_entries.Count + 1];
            foreach (var (k, _) in _entries)
            {
                if (k is not long i || i < 1 || i > _entries.Count || seen[i])
                {
                    return false;
                }

                seen[i] = true;
            }

            return true;
        }
    }

    /// <summary>The values of a sequence in key order (<see cref="IsSequence"/> must hold).</summary>
    public IReadOnlyList<object> SequenceValues()
    {
        var items = new object[_entries.Count];
        foreach (var (k, v) in _entries)
        {
            items[(long)k - 1] = v;
        }

        return items;
    }

    /// <summary>A string field (Lua strings are bytes; decoded as UTF-8), or null when absent or not a string.</summary>
    public string? GetString(string key) => this[key] is byte[] b ? Encoding.UTF8.GetString(b) : null;
}
