using GenVm.Core.Wasi;
using GenVm.Wasm.Snapshots;

namespace GenVm.Core.Supervisor;

/// <summary>
/// A started reactor interpreter (after <see cref="ReactorStartup.Initialize"/>) that <see cref="SnapshotInstanceFactory"/>
/// restores into new VMs: the instance state, and the WASI state its start-up left in the VM's
/// <see cref="DetWasiHost"/> (det random outputs consumed, descriptor numbering) with the file-system trace it is valid
/// for. Everything else of the start-up is a constant of the key (module, engine mode, args, environment).
/// </summary>
/// <param name="Instance">The engine-level state of the started module's instance.</param>
/// <param name="RandomWords">Det <c>random_get</c> outputs the start-up consumed (wasm-abi.md §9.3).</param>
/// <param name="Descriptors">The descriptor numbering after the start-up (<see cref="DetFdTable.Numbering"/>).</param>
/// <param name="Trace">What the start-up saw of the file system.</param>
internal sealed record VmSnapshot(InstanceSnapshot Instance, long RandomWords, (uint Next, uint[] Free, int NewNumbers) Descriptors, DetStartupTrace Trace) : IDisposable
{
    /// <summary>Bytes the snapshot holds (its memory images), charged to the process's memory accounting while cached.</summary>
    public long Bytes => Instance.MemoryBytes;

    /// <summary>Releases the memory images.</summary>
    public void Dispose() => Instance.Dispose();
}
