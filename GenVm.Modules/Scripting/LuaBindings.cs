namespace GenVm.Modules.Scripting;

/// <summary>
/// What a module installs into each of its Lua states (modules.md §5.2): host functions and constant values, each under
/// a global table (<c>__dflt</c>, <c>__llm</c>, <c>__web</c>).
/// </summary>
internal sealed class LuaBindings
{
    private readonly List<(string Table, string Name, LuaHostFunction Function)> _functions = [];
    private readonly List<(string Table, string Name, Func<object?> Value)> _values = [];

    /// <summary>Host functions by table.</summary>
    public IReadOnlyList<(string Table, string Name, LuaHostFunction Function)> Functions => _functions;

    /// <summary>Values by table; the factory runs once per state, so each state gets its own tables.</summary>
    public IReadOnlyList<(string Table, string Name, Func<object?> Value)> Values => _values;

    /// <summary>Adds a host function.</summary>
    public LuaBindings Function(string table, string name, LuaHostFunction function)
    {
        _functions.Add((table, name, function));
        return this;
    }

    /// <summary>Adds a synchronous host function.</summary>
    public LuaBindings Function(string table, string name, Func<LuaHostCall, object?> function)
        => Function(table, name, call => ValueTask.FromResult(function(call)));

    /// <summary>Adds a value.</summary>
    public LuaBindings Value(string table, string name, Func<object?> value)
    {
        _values.Add((table, name, value));
        return this;
    }
}
