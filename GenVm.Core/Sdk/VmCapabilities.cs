using GenVm.Core.Calldata;
using GenVm.Core.Protocol;

namespace GenVm.Core.Sdk;

/// <summary>The per-VM configuration of wasm-abi.md §5: mode, permissions, storage read type, contract and version.</summary>
internal sealed class VmCapabilities
{
    /// <summary>The contract whose storage the VM reads.</summary>
    public required Address Contract { get; init; }

    /// <summary>Deterministic VM (storage, balances, messages allowed) or not (§8).</summary>
    public bool Deterministic { get; init; } = true;

    /// <summary>Permission letters <c>r w s c n</c> (§5, <see cref="Permission"/>).</summary>
    public string Permissions { get; init; } = Permission.Default;

    /// <summary>The storage read type for <c>storage_read</c>.</summary>
    public StorageType ReadType { get; init; } = StorageType.Default;

    /// <summary>Slots <c>storage_write</c> must refuse (host-protocol.md §7.1).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> LockedSlots { get; init; } = [];

    /// <summary>The contract's declared version (§15); raw wasm without a version declares <c>v0.1.0</c>.</summary>
    public AbiVersionNumber Version { get; init; } = AbiVersionNumber.Parse(AbiVersion.Absent);

    /// <summary>A copy with the contract's declared <paramref name="version"/> (known once its runner.json was read).</summary>
    public VmCapabilities WithVersion(AbiVersionNumber version) => new()
    {
        Contract = Contract,
        Deterministic = Deterministic,
        Permissions = Permissions,
        ReadType = ReadType,
        LockedSlots = LockedSlots,
        Version = version,
    };

    /// <summary>Whether the VM holds permission <paramref name="letter"/>.</summary>
    public bool Has(string letter) => Permissions.Contains(letter, StringComparison.Ordinal);
}
