using System.Buffers.Binary;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <summary>
/// The storage reads the executor itself makes (host-protocol.md §7.1, §12): locked-slot discovery at the start of
/// a run, and reading a contract's code. Everything else in storage is SDK-defined.
/// </summary>
internal static class ContractStorageReader
{
    /// <summary>The slot holding the code: <c>indirection(root, 1)</c>.</summary>
    public static ReadOnlyMemory<byte> CodeSlot { get; } = Convert.FromHexString(SlotId.Code);

    /// <summary>The slot holding the locked slot ids: <c>indirection(root, 2)</c>.</summary>
    public static ReadOnlyMemory<byte> LockedSlotsSlot { get; } = Convert.FromHexString(SlotId.LockedSlots);

    /// <summary>The slot holding the upgrader addresses: <c>indirection(root, 3)</c>.</summary>
    public static ReadOnlyMemory<byte> UpgradersSlot { get; } = Convert.FromHexString(SlotId.Upgraders);

    /// <summary>
    /// Locked-slot discovery (§7.1 step 2) with storage type <c>default</c>: reads the upgrader count and the
    /// upgraders one by one; if <paramref name="sender"/> is one of them the locked set is empty. Otherwise reads the
    /// locked count and then all locked slot ids in one read (sent even for a count of 0).
    /// </summary>
    /// <returns>The locked slot ids (32 octets each), in storage order.</returns>
    /// <exception cref="HostErrorException">The host answered a read with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke, or a count makes the read range overflow u32.</exception>
    public static async Task<IReadOnlyList<ReadOnlyMemory<byte>>> ReadLockedSlotsAsync(
        HostConnection host, Address contract, Address sender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var upgraders = await ReadU32Async(host, StorageType.Default, contract, UpgradersSlot, cancellationToken).ConfigureAwait(false);
        var address = new byte[Address.Length];
        for (uint i = 0; i < upgraders; i++)
        {
            var index = RangeStart(4UL + ((ulong)Address.Length * i), "upgrader");
            await host.StorageReadAsync(StorageType.Default, contract, UpgradersSlot, index, address, cancellationToken).ConfigureAwait(false);
            if (new Address(address) == sender)
            {
                return [];
            }
        }

        var count = await ReadU32Async(host, StorageType.Default, contract, LockedSlotsSlot, cancellationToken).ConfigureAwait(false);
        var length = RangeStart((ulong)HostRequestWriter.SlotLength * count, "locked slots");
        RangeStart(4UL + length, "locked slots");
        var slots = await host.StorageReadAsync(StorageType.Default, contract, LockedSlotsSlot, 4, length, cancellationToken).ConfigureAwait(false);
        var result = new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = slots.AsMemory(i * HostRequestWriter.SlotLength, HostRequestWriter.SlotLength);
        }

        return result;
    }

    /// <summary>
    /// Reads the code of <paramref name="account"/> (§7.1 step 4, §12): the u32 length at index 0 of the code slot,
    /// then that many octets from index 4. Callers cache the result per address for the run.
    /// </summary>
    /// <exception cref="HostErrorException">The host answered a read with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke, or the length exceeds the answer limit.</exception>
    public static async Task<byte[]> ReadCodeAsync(HostConnection host, StorageType readType, Address account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var length = await ReadU32Async(host, readType, account, CodeSlot, cancellationToken).ConfigureAwait(false);
        return await host.StorageReadAsync(readType, account, CodeSlot, 4, length, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<uint> ReadU32Async(HostConnection host, StorageType readType, Address account, ReadOnlyMemory<byte> slot, CancellationToken cancellationToken)
    {
        var octets = await host.StorageReadAsync(readType, account, slot, 0, 4, cancellationToken).ConfigureAwait(false);
        return BinaryPrimitives.ReadUInt32LittleEndian(octets);
    }

    private static uint RangeStart(ulong value, string what)
        => value <= uint.MaxValue
            ? (uint)value
            : throw new HostProtocolException(
                HostProtocolErrorKind.InvalidAnswer,
                HostMethod.StorageRead,
                $"the stored count of {what} makes the storage range exceed 2^32 octets");
}
