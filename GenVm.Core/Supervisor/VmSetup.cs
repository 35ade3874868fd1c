using System.Numerics;
using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Sdk;
using GenVm.Core.Wasi;

namespace GenVm.Core.Supervisor;

/// <summary>Everything one VM needs (wasm-abi.md §5): its code, WASI view, capabilities and the run's shared parts.</summary>
internal sealed class VmSetup
{
    /// <summary>The raw wasm module started by the VM.</summary>
    public required byte[] Wasm { get; init; }

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
}
