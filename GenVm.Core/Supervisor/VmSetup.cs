using System.Numerics;
using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Runners;
using GenVm.Core.Sdk;
using GenVm.Core.Wasi;
using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>Everything one VM needs (wasm-abi.md §5): its loaded modules, WASI view, capabilities and the run's shared parts.</summary>
internal sealed class VmSetup
{
    /// <summary>The started module and the modules linked before it (runners.md §4).</summary>
    public required RunnerLoadResult Loaded { get; init; }

    /// <summary>The VM's WASI view (message on fd 0, clock, streams, files).</summary>
    public required DetWasiOptions Wasi { get; init; }

    /// <summary>Mode, permissions, storage read type, contract, version.</summary>
    public required VmCapabilities Capabilities { get; init; }

    /// <summary>The run's host connection.</summary>
    public required HostConnection Host { get; init; }

    /// <summary>The run-wide balance cache (§3); lock it to use it.</summary>
    public Dictionary<Address, BigInteger> Balances { get; init; } = [];

    /// <summary>Sub-VMs and modules for <c>gl_call</c>; null refuses them.</summary>
    public IVmServices? Services { get; init; }

    /// <summary>The run's compiled modules; null compiles afresh.</summary>
    public ModuleCache? Modules { get; init; }

    /// <summary>
    /// The VM's account in the memory pool of its mode (wasm-abi.md §12), already charged for the runner archives and
    /// mapped files; it becomes the store's limiter and everything is given back when the VM ends. Null limits nothing.
    /// </summary>
    public PoolLimiter? Limiter { get; init; }

    /// <summary>Makes the VM's instances; null instantiates every module afresh (<see cref="LinkingInstanceFactory"/>).</summary>
    public IVmInstanceFactory? InstanceFactory { get; init; }
}
