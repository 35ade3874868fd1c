namespace GenVm.Wasm;

/// <summary>
/// The compilation environment: a frozen configuration plus caches shared by all modules and stores created
/// from it. Thread-safe.
/// </summary>
public sealed class Engine
{
    /// <summary>Creates an engine with the default configuration.</summary>
    public Engine()
        : this(new EngineConfig())
    {
    }

    /// <summary>Creates an engine; the configuration is copied, later changes to it have no effect.</summary>
    public Engine(EngineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Clone();
    }

    /// <summary>The frozen configuration.</summary>
    public EngineConfig Config { get; }
}
