using GenVm.Core.Host;

namespace GenVm.Core.Sdk;

/// <summary>
/// A host function ended the VM with a result: <c>gl_call</c> <c>Return</c> or <c>Rollback</c> (wasm-abi.md §4), or
/// a VM error raised inside a host call. Unwinds through the wasm frames to the supervisor.
/// </summary>
internal sealed class VmResultException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VmResultException(ContractResult result)
        : base(result.Kind + ": " + result.Message)
    {
        Result = result;
    }

    /// <summary>The VM's result.</summary>
    public ContractResult Result { get; }
}
