using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>
/// The engines VMs run on (wasm-abi.md §1.1): det with trapping floats for contract code, det with soft floats for
/// runner modules that declare it (our CPython runner, runners.md), and non-det. Created once per supervisor so
/// compiled modules can be shared.
/// </summary>
/// <param name="compileCacheDirectory">
/// The engines' on-disk compile cache (<see cref="EngineConfig.WithCacheDirectory"/>), or null for none. The cache is
/// performance-only (runners.md §9): its key covers every engine setting, so det and non-det code never mix.
/// </param>
internal sealed class TransactionEngines(string? compileCacheDirectory = null)
{
    /// <summary>The det engine: floats trap (§10).</summary>
    public Engine Det { get; } = new(VmRunner.DeterministicConfig().WithCacheDirectory(compileCacheDirectory));

    /// <summary>The det engine for runner modules declaring the soft-float policy.</summary>
    public Engine DetSoftFloat { get; } = new(DetSoftFloatConfig().WithCacheDirectory(compileCacheDirectory));

    /// <summary>The configuration of <see cref="DetSoftFloat"/> (also what <c>genvm precompile</c> compiles for).</summary>
    public static EngineConfig DetSoftFloatConfig() => VmRunner.DeterministicConfig().WithFloatPolicy(FloatPolicy.SoftFloat);

    /// <summary>The non-det engine: floats allowed.</summary>
    public Engine Nondet { get; } = new(VmRunner.NondetConfig().WithCacheDirectory(compileCacheDirectory));
}
