using GenVm.Core.Sdk;
using GenVm.Core.Wasi;

namespace GenVm.Core.Runners;

/// <summary>
/// A loaded VM description (runners.md §4, §8): instantiate <see cref="Linked"/> in order (registering each under its
/// <see cref="RunnerModule.ModuleName"/> and calling its <c>_initialize</c> export if present), then
/// <see cref="Start"/>, with <see cref="FileSystem"/>, <see cref="Args"/> and <see cref="Environment"/> as its WASI view.
/// </summary>
internal sealed class RunnerLoadResult
{
    /// <summary>The module whose entry runs.</summary>
    public required RunnerModule Start { get; init; }

    /// <summary>Helper modules in <c>LinkWasm</c> order.</summary>
    public required IReadOnlyList<RunnerModule> Linked { get; init; }

    /// <summary>The files mapped by <c>MapFile</c>.</summary>
    public required VirtualFileSystem FileSystem { get; init; }

    /// <summary>Process arguments from <c>SetArgs</c>.</summary>
    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>The environment frozen at <c>StartWasm</c>, sorted by name bytes.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }

    /// <summary>The contract's accepted ABI version (gates <c>gl_call</c> features, wasm-abi.md §15).</summary>
    public required AbiVersionNumber Version { get; init; }

    /// <summary>
    /// Whether a deterministic VM must run <see cref="Start"/> with the engine's <c>softfloat</c> float policy instead
    /// of trapping on floats: only for a module started from one of our runner archives that declares it (member
    /// <c>genvm-float-policy</c> = <c>softfloat</c>); contract code always keeps the trap policy (docs/decisions.md).
    /// </summary>
    public required bool SoftFloat { get; init; }

    /// <summary>
    /// Whether <see cref="Start"/> is a reactor to drive through <c>_initialize</c>, <c>genvm_init</c>, the optional
    /// <c>genvm_import</c> and <c>genvm_run</c> rather than <c>_start</c>: only for a module started from one of our
    /// runner archives whose <c>genvm-start</c> member says <c>reactor</c> (docs/decisions.md "Python snapshots").
    /// </summary>
    public bool Reactor { get; init; }

    /// <summary>The total charged through <see cref="RunnerLoadRequest.Charge"/>.</summary>
    public required long ChargedBytes { get; init; }
}
