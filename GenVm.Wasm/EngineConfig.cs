namespace GenVm.Wasm;

/// <summary>Engine settings. Frozen once an <see cref="Engine"/> is created from it.</summary>
public sealed class EngineConfig
{
    /// <summary>The proposals modules may use.</summary>
    public WasmFeatures Features { get; private set; } = WasmFeatures.Default;

    /// <summary>Maximum number of active wasm frames in one store (wasm-abi.md §13: 1024).</summary>
    public int MaxCallDepth { get; private set; } = 1024;

    /// <summary>
    /// Value-stack budget per store in units (wasm-abi.md §13: 65535), or null for none. Each function costs its
    /// declared locals plus its maximum operand-stack height while active; exceeding the budget traps
    /// <see cref="TrapCode.StackOverflow"/>, and a single function costing more fails compilation.
    /// </summary>
    public int? ValueStackBudget { get; private set; }

    /// <summary>Sets the value-stack budget (null: unlimited).</summary>
    public EngineConfig WithValueStackBudget(int? units)
    {
        if (units is int u)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(u, 1);
        }

        ValueStackBudget = units;
        return this;
    }

    /// <summary>What float arithmetic, comparison and conversion instructions do (wasm-abi.md §10).</summary>
    public FloatPolicy FloatPolicy { get; private set; } = FloatPolicy.Native;

    /// <summary>Sets <see cref="FloatPolicy"/>.</summary>
    public EngineConfig WithFloatPolicy(FloatPolicy policy)
    {
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy));
        }

        FloatPolicy = policy;
        return this;
    }

    /// <summary>
    /// Whether executing a float arithmetic, comparison or conversion instruction traps with
    /// <see cref="TrapCode.DeterministicMode"/> (wasm-abi.md §10, det VMs): <see cref="FloatPolicy"/> is
    /// <see cref="Wasm.FloatPolicy.Trap"/>. Loads, stores, constants, reinterprets and generic instructions carrying
    /// floats stay allowed.
    /// </summary>
    public bool TrapOnFloatInstructions => FloatPolicy == FloatPolicy.Trap;

    /// <summary>Sets the <see cref="Wasm.FloatPolicy.Trap"/> policy (true) or <see cref="Wasm.FloatPolicy.Native"/> (false).</summary>
    public EngineConfig WithTrapOnFloatInstructions(bool trap) => WithFloatPolicy(trap ? FloatPolicy.Trap : FloatPolicy.Native);

    /// <summary>
    /// Whether compiled code meters instructions (fuel, off by default; wasm-abi.md §11 says the reference has none).
    /// Each instruction costs what <c>docs/fuel.md</c> lists; a store starts with no fuel (<see cref="Store.SetFuel"/>)
    /// and traps <see cref="TrapCode.OutOfFuel"/> at the first function entry or loop header after it ran out.
    /// With metering off the compiled code is unchanged.
    /// </summary>
    public bool ConsumeFuel { get; private set; }

    /// <summary>Sets <see cref="ConsumeFuel"/>.</summary>
    public EngineConfig WithFuel(bool enabled)
    {
        ConsumeFuel = enabled;
        return this;
    }

    /// <summary>
    /// Directory of the on-disk compile cache, or null (the default) for none. Modules loaded by such an engine are
    /// compiled to a saved assembly keyed by the SHA-256 of the wasm bytes, the engine build and this configuration;
    /// a later load of the same bytes (in any process) loads that assembly instead of validating and compiling.
    /// </summary>
    public string? CacheDirectory { get; private set; }

    /// <summary>Sets <see cref="CacheDirectory"/> (null: no cache).</summary>
    public EngineConfig WithCacheDirectory(string? directory)
    {
        CacheDirectory = string.IsNullOrEmpty(directory) ? null : Path.GetFullPath(directory);
        return this;
    }

    /// <summary>Sets the accepted proposals.</summary>
    public EngineConfig WithFeatures(WasmFeatures features)
    {
        Features = features;
        return this;
    }

    /// <summary>Sets the maximum number of active wasm frames.</summary>
    public EngineConfig WithMaxCallDepth(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        MaxCallDepth = depth;
        return this;
    }

    /// <summary>
    /// Whether functions too large for RyuJIT's full optimisation (it compiles such methods with MinOpts) are split
    /// into outlined pieces (default true). Semantics are the same either way; off only for comparisons.
    /// </summary>
    public bool SplitOversizedFunctions { get; private set; } = true;

    /// <summary>Sets <see cref="SplitOversizedFunctions"/>.</summary>
    public EngineConfig WithFunctionSplitting(bool enabled)
    {
        SplitOversizedFunctions = enabled;
        return this;
    }

    /// <summary>
    /// Whether innermost counted loops get a copy without the bounds checks that one guard before the loop proves
    /// redundant (default true; see docs/decisions.md). Semantics are the same either way; off only for comparisons.
    /// </summary>
    public bool LoopVersioning { get; private set; } = true;

    /// <summary>Sets <see cref="LoopVersioning"/>.</summary>
    public EngineConfig WithLoopVersioning(bool enabled)
    {
        LoopVersioning = enabled;
        return this;
    }

    /// <summary>
    /// When function bodies are compiled (default <see cref="Wasm.LazyCompilation.Auto"/>). A lazily compiled module is
    /// still decoded and validated completely at load; only IL emission waits for a function's first call, and the
    /// compile cache entry (always the eagerly compiled form) is written by a background thread. Results, traps, stack
    /// depth and fuel are identical in both forms, so this setting is not part of the compile cache key.
    /// </summary>
    /// <remarks>The default can be set with <c>GENVM_WASM_LAZY</c> (<c>auto</c>, <c>never</c>, <c>always</c>) for comparisons.</remarks>
    public LazyCompilation LazyCompilation { get; private set; } =
        Enum.TryParse<LazyCompilation>(Environment.GetEnvironmentVariable("GENVM_WASM_LAZY"), ignoreCase: true, out var mode) && Enum.IsDefined(mode) ? mode : LazyCompilation.Auto;

    /// <summary>Sets <see cref="LazyCompilation"/>.</summary>
    public EngineConfig WithLazyCompilation(LazyCompilation mode)
    {
        LazyCompilation = mode;
        return this;
    }

    internal EngineConfig Clone() => (EngineConfig)MemberwiseClone();
}
