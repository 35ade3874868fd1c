using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>
/// What a <see cref="VmSnapshot"/> depends on besides the file-system trace it carries: the started module (its wasm
/// bytes), the engine it runs on (det with soft floats, det, non-det: float policy and limits are the engine's
/// configuration) and the WASI arguments and environment. <see cref="Digest"/> names it across processes (for
/// on-disk snapshots); in-process lookups also compare the engine instance, since modules are compiled per engine.
/// </summary>
/// <param name="Engine">The engine the module is compiled for.</param>
/// <param name="Mode">The engine mode: <c>det-softfloat</c>, <c>det</c> or <c>nondet</c>.</param>
/// <param name="ModuleSha256">Hex SHA-256 of the started module's bytes.</param>
/// <param name="Args">The WASI arguments, NUL-joined.</param>
/// <param name="Environment">The WASI environment (<c>name=value</c>, sorted), NUL-joined.</param>
internal sealed record VmSnapshotKey(Engine Engine, string Mode, string ModuleSha256, string Args, string Environment)
{
    /// <summary>The <see cref="Mode"/> of a non-det VM.</summary>
    public const string NondetMode = "nondet";

    private static readonly ConditionalWeakTable<Module, string> Hashes = new();

    /// <summary>
    /// Whether snapshots of this key may leave the process (an <see cref="IVmSnapshotStore"/>): not for non-det VMs,
    /// whose start-up drew the interpreter's hash secret from OS entropy (docs/decisions.md "Non-det snapshots").
    /// </summary>
    public bool Persistent => Mode != NondetMode;

    /// <summary>Hex SHA-256 over everything but <see cref="Engine"/>: the same on every machine for the same inputs.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\u0001', "genvm-vm-snapshot-1", Mode, ModuleSha256, Args, Environment))));

    /// <summary>The key of the VM <paramref name="request"/> describes, whose started module is <paramref name="module"/>.</summary>
    public static VmSnapshotKey For(VmInstanceRequest request, Module module)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(module);
        var mode = !request.Deterministic ? NondetMode : request.Loaded.SoftFloat ? "det-softfloat" : "det";
        var hash = Hashes.GetValue(module, m => Convert.ToHexStringLower(m.Sha256));
        return new VmSnapshotKey(
            request.Engine,
            mode,
            hash,
            string.Join('\0', request.Loaded.Args),
            string.Join('\0', request.Loaded.Environment.Select(kv => kv.Key + "=" + kv.Value)));
    }
}
