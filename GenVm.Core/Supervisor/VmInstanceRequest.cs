using GenVm.Core.Runners;
using GenVm.Core.Wasi;
using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>What an <see cref="IVmInstanceFactory"/> gets to make the instances of one VM.</summary>
internal sealed class VmInstanceRequest
{
    /// <summary>The VM's engine (its configuration decides det/non-det and the float policy).</summary>
    public required Engine Engine { get; init; }

    /// <summary>The VM's store, with its memory-pool limiter and cancellation already attached.</summary>
    public required Store Store { get; init; }

    /// <summary>The linker with <c>wasi_snapshot_preview1</c> and <c>genlayer_sdk</c> defined for this VM.</summary>
    public required Linker Linker { get; init; }

    /// <summary>The modules the runner actions chose (runners.md §4).</summary>
    public required RunnerLoadResult Loaded { get; init; }

    /// <summary>Whether the VM is deterministic (wasm-abi.md §5).</summary>
    public required bool Deterministic { get; init; }

    /// <summary>Compiles a module for <see cref="Engine"/> through the shared compiled-module cache.</summary>
    public required Func<RunnerModule, Module> Compile { get; init; }

    /// <summary>
    /// Called right before the started module is instantiated: <c>StartWasm</c> fixes the environment, which the
    /// linked modules' <c>_initialize</c> did not see (wasm-abi.md §9.3).
    /// </summary>
    public Action? BeforeStart { get; init; }

    /// <summary>
    /// The VM's WASI host (already defined in <see cref="Linker"/>): a reactor's start-up runs under its guard, and a
    /// restored start-up puts the WASI state it left into it (docs/decisions.md "Python snapshots").
    /// </summary>
    public required DetWasiHost Wasi { get; init; }

    /// <summary>Every instance made, in order (the fingerprint covers their memories, host-protocol.md §7.4).</summary>
    public required List<Instance> Instances { get; init; }
}
