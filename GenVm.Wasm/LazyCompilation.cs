namespace GenVm.Wasm;

/// <summary>When a module's functions are compiled to IL (<see cref="EngineConfig.LazyCompilation"/>).</summary>
public enum LazyCompilation
{
    /// <summary>Lazily for modules with more than 1,000 defined functions (CPython), eagerly below.</summary>
    Auto,

    /// <summary>Every function is emitted at load.</summary>
    Never,

    /// <summary>
    /// Functions are emitted in small groups on the first call of one of them (tests of lazy compilation use this on
    /// small modules).
    /// </summary>
    Always,
}
