namespace GenVm.Wasm;

/// <summary>Resolves a module's imports by (module, name) and instantiates it.</summary>
public sealed class Linker
{
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
    public void Define(string module, string name, object item) => throw new NotImplementedException();

    /// <summary>Defines a host function, created anew in each store the linker instantiates into.</summary>
    public void DefineFunction(string module, string name, FuncType type, HostCallback callback) => throw new NotImplementedException();

    /// <summary>Defines every export of <paramref name="instance"/> under the module name <paramref name="module"/>.</summary>
    public void DefineInstance(string module, Instance instance) => throw new NotImplementedException();

    /// <summary>
    /// Instantiates <paramref name="module"/> in <paramref name="store"/>: resolves imports, allocates memories,
    /// tables and globals, applies active segments and runs the start function.
    /// </summary>
    /// <exception cref="LinkException">An import is missing or has an incompatible type.</exception>
    /// <exception cref="WasmTrapException">A segment is out of bounds or the start function trapped.</exception>
    public Instance Instantiate(Store store, Module module) => throw new NotImplementedException();
}
