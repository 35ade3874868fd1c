using GenVm.Wasm.Runtime;

namespace GenVm.Wasm;

/// <summary>An instantiated module: its exports, bound to one store.</summary>
public sealed class Instance
{
    private readonly List<KeyValuePair<string, object>> _exports = [];
    private readonly Dictionary<string, object> _exportsByName = new(StringComparer.Ordinal);

    internal Instance(Store store, Module module)
    {
        Store = store;
        Module = module;
    }

    /// <summary>The store this instance lives in.</summary>
    public Store Store { get; }

    /// <summary>The module it was instantiated from.</summary>
    public Module Module { get; }

    /// <summary>Every export, in declaration order: (name, <see cref="Func"/>/<see cref="Memory"/>/<see cref="Table"/>/<see cref="Global"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Exports => _exports;

    /// <summary>The instance's memory 0, exported or not; null when it has none.</summary>
    public Memory? DefaultMemory => Context?.Memory0;

    /// <summary>The run-time context compiled code uses (set during instantiation).</summary>
    internal InstanceContext? Context { get; set; }

    /// <summary>An export by name, or null.</summary>
    public object? GetExport(string name) => _exportsByName.GetValueOrDefault(name);

    /// <summary>An exported function, or null.</summary>
    public Func? GetFunction(string name) => GetExport(name) as Func;

    /// <summary>An exported memory, or null.</summary>
    public Memory? GetMemory(string name) => GetExport(name) as Memory;

    /// <summary>An exported table, or null.</summary>
    public Table? GetTable(string name) => GetExport(name) as Table;

    /// <summary>An exported global, or null.</summary>
    public Global? GetGlobal(string name) => GetExport(name) as Global;

    internal void AddExport(string name, object item)
    {
        _exports.Add(new KeyValuePair<string, object>(name, item));
        _exportsByName[name] = item;
    }
}
