using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Modules;
using GenVm.Core.Protocol;

namespace GenVm.Core.Sdk;

/// <summary>
/// What <c>gl_call</c> needs from the supervisor (wasm-abi.md §4, §5, §7): sub-VMs of the calling VM, the run's
/// modules and run-wide flags. Every method blocks the calling wasm thread until the sub-VM ended. An executor
/// failure inside a sub-VM is thrown as <see cref="SubVmInternalException"/>.
/// </summary>
internal interface IVmServices
{
    /// <summary>The LLM module, or null when none is configured.</summary>
    ILlmModule? Llm { get; }

    /// <summary>The web module, or null when none is configured.</summary>
    IWebModule? Web { get; }

    /// <summary><c>--debug-mode</c>: <c>Trace.RuntimeMicroSec</c> reports real time in det VMs (host-protocol.md §1.1).</summary>
    bool DebugMode { get; }

    /// <summary><c>Sandbox</c>: the calling VM's contract in a new VM (entry kind 1); its result whatever it is.</summary>
    ContractResult RunSandbox(ReadOnlyMemory<byte> data, bool allowWriteOps);

    /// <summary><c>CallContract</c>: <paramref name="target"/> in a new det VM with view semantics (§5).</summary>
    ContractResult CallContract(Address target, ReadOnlyMemory<byte> encodedCalldata, StorageType readType);

    /// <summary>
    /// <c>RunNondet</c>: the leader/validator protocol of host-protocol.md §8; the result handed back to the caller
    /// (a leader's or the host's), never an internal error.
    /// </summary>
    ContractResult RunNondet(ReadOnlyMemory<byte> dataLeader, ReadOnlyMemory<byte> dataValidator);
}
