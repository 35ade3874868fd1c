using System.Runtime.CompilerServices;
using GenVm.Wasm.Runtime;

namespace GenVm.Wasm;

/// <summary>Resolves a module's imports by (module, name) and instantiates it.</summary>
public sealed class Linker
{
    private readonly Dictionary<(string Module, string Name), object> _items = [];

    /// <summary>Creates an empty linker.</summary>
    public Linker(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
    }

    /// <summary>The engine of this linker.</summary>
    public Engine Engine { get; }

    /// <summary>Whether a later definition may replace an earlier one of the same (module, name).</summary>
    public bool AllowShadowing { get; set; }

    /// <summary>Defines an import: <paramref name="item"/> is a <see cref="Func"/>, <see cref="Memory"/>, <see cref="Table"/> or <see cref="Global"/>.</summary>
    public void Define(string module, string name, object item)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        if (item is not (Func or Memory or Table or Global))
        {
            throw new ArgumentException("expected a Func, Memory, Table or Global", nameof(item));
        }

        Add(module, name, item);
    }

    /// <summary>Defines a host function, created anew in each store the linker instantiates into.</summary>
    public void DefineFunction(string module, string name, FuncType type, HostCallback callback)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        Add(module, name, new HostDefinition(type, callback));
    }

    /// <summary>Defines every export of <paramref name="instance"/> under the module name <paramref name="module"/>.</summary>
    public void DefineInstance(string module, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        foreach (var (name, item) in instance.Exports)
        {
            Define(module, name, item);
        }
    }

    /// <summary>
    /// Instantiates <paramref name="module"/> in <paramref name="store"/>: resolves imports, allocates memories,
    /// tables and globals, applies active segments and runs the start function.
    /// </summary>
    /// <exception cref="LinkException">An import is missing or has an incompatible type.</exception>
    /// <exception cref="WasmTrapException">A segment is out of bounds or the start function trapped.</exception>
    public Instance Instantiate(Store store, Module module) => Instantiate(store, module, applyDataSegments: true);

    /// <summary>
    /// <see cref="Instantiate(Store, Module)"/>, optionally without copying the active data segments into memory: for
    /// an instance whose every memory a snapshot restore replaces right after (the copies would be thrown away).
    /// </summary>
    internal Instance Instantiate(Store store, Module module, bool applyDataSegments)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        var imports = new object[module.Imports.Count];
        for (var i = 0; i < imports.Length; i++)
        {
            var import = module.Imports[i];
            if (!_items.TryGetValue((import.ModuleName, import.Name), out var item))
            {
                throw new LinkException($"unknown import: `{import.ModuleName}::{import.Name}` has not been defined");
            }

            if (item is HostDefinition host)
            {
                item = host.For(store);
            }

            if (!ImportMatcher.Matches(import, item))
            {
                throw new LinkException($"incompatible import type for `{import.ModuleName}::{import.Name}`");
            }

            imports[i] = item;
        }

        return Instantiator.Instantiate(store, module, imports, applyDataSegments);
    }

    /// <summary>The host functions defined with <see cref="DefineFunction"/>, for wrapping them in another linker.</summary>
    internal IEnumerable<(string Module, string Name, FuncType Type, HostCallback Callback)> HostFunctions() =>
        _items.Where(kv => kv.Value is HostDefinition)
            .Select(kv => (kv.Key.Module, kv.Key.Name, ((HostDefinition)kv.Value).Type, ((HostDefinition)kv.Value).Callback));

    private void Add(string module, string name, object item)
    {
        if (!AllowShadowing && _items.ContainsKey((module, name)))
        {
            throw new LinkException($"import of `{module}::{name}` defined twice");
        }

        _items[(module, name)] = item;
    }

    /// <summary>A host function defined by type and callback, materialised once per store.</summary>
    private sealed class HostDefinition(FuncType type, HostCallback callback)
    {
        private readonly ConditionalWeakTable<Store, Func> _perStore = new();

        public FuncType Type => type;

        public HostCallback Callback => callback;

        public Func For(Store store) => _perStore.GetValue(store, s => Func.FromCallback(s, type, callback));
    }
}
