using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Where <see cref="SnapshotInstanceFactory"/> obtains snapshots it has not captured in this process (for example
/// files written by an earlier process) and hands the ones it captures. Implementations must be thread-safe.
/// </summary>
internal interface IVmSnapshotStore
{
    /// <summary>
    /// The snapshot stored under <paramref name="key"/> (see <see cref="VmSnapshotKey.Digest"/>), restorable into
    /// instances of <paramref name="module"/>, or null when there is none (or it does not fit the module).
    /// </summary>
    VmSnapshot? TryLoad(VmSnapshotKey key, Module module);

    /// <summary>Keeps <paramref name="snapshot"/>, just captured, under <paramref name="key"/>; must not dispose it.</summary>
    void Save(VmSnapshotKey key, VmSnapshot snapshot);
}
