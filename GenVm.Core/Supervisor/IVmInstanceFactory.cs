using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Makes the instances of one VM (runners.md §4, wasm-abi.md §1.2-§1.3): the <c>LinkWasm</c> modules in order, each
/// registered under its name with <c>_initialize</c> called, then the started module. The default,
/// <see cref="LinkingInstanceFactory"/>, instantiates every module afresh; an implementation may instead restore a
/// snapshot of an already initialised interpreter, as long as the VM observes the same state (the seam for engine
/// snapshot/restore of CPython). Called on the VM's wasm thread.
/// </summary>
internal interface IVmInstanceFactory
{
    /// <summary>
    /// Instantiates the VM's modules into <see cref="VmInstanceRequest.Store"/> and returns the started module's
    /// instance; every instance made is added to <see cref="VmInstanceRequest.Instances"/> (for fingerprints).
    /// </summary>
    /// <returns>The started instance, or null when the contract is invalid (<c>_initialize</c> with a bad signature).</returns>
    /// <exception cref="WasmException">Linking, instantiation or an <c>_initialize</c> call failed.</exception>
    Instance? Instantiate(VmInstanceRequest request);
}
