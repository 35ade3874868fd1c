using System.Buffers;
using System.Buffers.Binary;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <summary>
/// Writes complete host requests, method id included, in the layouts of host-protocol.md §5 (little-endian integers,
/// <c>bytes</c> = u32 length + octets, addresses 20 raw octets, slots 32 raw octets).
/// </summary>
internal static class HostRequestWriter
{
    /// <summary>The size of a storage slot id.</summary>
    public const int SlotLength = 32;

    /// <summary>The size of an event topic.</summary>
    public const int TopicLength = 32;

    /// <summary>The most topics an event may carry.</summary>
    public const int MaxTopics = 4;

    /// <summary><c>get_calldata</c>: the id only.</summary>
    public static void WriteGetCalldata(IBufferWriter<byte> writer) => WriteU8(writer, (byte)HostMethod.GetCalldata);

    /// <summary><c>storage_read</c>: <c>read_type:u8 account:address slot:slot index:u32 len:u32</c>.</summary>
    public static void WriteStorageRead(IBufferWriter<byte> writer, StorageType readType, Address account, ReadOnlySpan<byte> slot, uint index, uint length)
    {
        CheckSlot(slot);
        WriteU8(writer, (byte)HostMethod.StorageRead);
        WriteU8(writer, (byte)readType);
        WriteAddress(writer, account);
        WriteRaw(writer, slot);
        WriteU32(writer, index);
        WriteU32(writer, length);
    }

    /// <summary><c>storage_write</c>: <c>slot:slot index:u32 data:bytes</c>.</summary>
    public static void WriteStorageWrite(IBufferWriter<byte> writer, ReadOnlySpan<byte> slot, uint index, ReadOnlySpan<byte> data)
    {
        CheckSlot(slot);
        WriteU8(writer, (byte)HostMethod.StorageWrite);
        WriteRaw(writer, slot);
        WriteU32(writer, index);
        WriteBytes(writer, data);
    }

    /// <summary><c>consume_result</c>: <c>result:bytes</c> (host-protocol.md §7.3).</summary>
    public static void WriteConsumeResult(IBufferWriter<byte> writer, ReadOnlySpan<byte> result)
    {
        WriteU8(writer, (byte)HostMethod.ConsumeResult);
        WriteBytes(writer, result);
    }

    /// <summary><c>get_leader_nondet_result</c>: <c>call_no:u32</c>.</summary>
    public static void WriteGetLeaderNondetResult(IBufferWriter<byte> writer, uint callNo)
    {
        WriteU8(writer, (byte)HostMethod.GetLeaderNondetResult);
        WriteU32(writer, callNo);
    }

    /// <summary><c>post_nondet_result</c>: <c>call_no:u32 result:bytes</c> where result = code byte + payload (§8.3).</summary>
    public static void WritePostNondetResult(IBufferWriter<byte> writer, uint callNo, ResultCode code, ReadOnlySpan<byte> payload)
    {
        WriteU8(writer, (byte)HostMethod.PostNondetResult);
        WriteU32(writer, callNo);
        WriteU32(writer, checked((uint)(payload.Length + 1)));
        WriteU8(writer, (byte)code);
        WriteRaw(writer, payload);
    }

    /// <summary><c>post_message</c>: <c>to:address calldata:bytes data:bytes</c> (data = JSON side data, §6).</summary>
    public static void WritePostMessage(IBufferWriter<byte> writer, Address to, ReadOnlySpan<byte> calldata, ReadOnlySpan<byte> json)
    {
        WriteU8(writer, (byte)HostMethod.PostMessage);
        WriteAddress(writer, to);
        WriteBytes(writer, calldata);
        WriteBytes(writer, json);
    }

    /// <summary><c>post_event</c>: <c>n:u8</c>, <c>n</c> 32-octet topics, <c>blob:bytes</c>.</summary>
    /// <exception cref="ArgumentException">More than 4 topics, or a topic that is not 32 octets.</exception>
    public static void WritePostEvent(IBufferWriter<byte> writer, IReadOnlyList<ReadOnlyMemory<byte>> topics, ReadOnlySpan<byte> blob)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count > MaxTopics)
        {
            throw new ArgumentException($"an event has at most {MaxTopics} topics, got {topics.Count}", nameof(topics));
        }

        foreach (var topic in topics)
        {
            if (topic.Length != TopicLength)
            {
                throw new ArgumentException($"an event topic is {TopicLength} octets, got {topic.Length}", nameof(topics));
            }
        }

        WriteU8(writer, (byte)HostMethod.PostEvent);
        WriteU8(writer, (byte)topics.Count);
        foreach (var topic in topics)
        {
            WriteRaw(writer, topic.Span);
        }

        WriteBytes(writer, blob);
    }

    /// <summary><c>consume_fuel</c>: <c>gas:u64</c>.</summary>
    public static void WriteConsumeFuel(IBufferWriter<byte> writer, ulong gas)
    {
        WriteU8(writer, (byte)HostMethod.ConsumeFuel);
        var span = writer.GetSpan(8);
        BinaryPrimitives.WriteUInt64LittleEndian(span, gas);
        writer.Advance(8);
    }

    /// <summary><c>deploy_contract</c>: <c>calldata:bytes code:bytes data:bytes</c> (data = JSON side data, §6).</summary>
    public static void WriteDeployContract(IBufferWriter<byte> writer, ReadOnlySpan<byte> calldata, ReadOnlySpan<byte> code, ReadOnlySpan<byte> json)
    {
        WriteU8(writer, (byte)HostMethod.DeployContract);
        WriteBytes(writer, calldata);
        WriteBytes(writer, code);
        WriteBytes(writer, json);
    }

    /// <summary><c>eth_call</c>: <c>to:address calldata:bytes</c>.</summary>
    public static void WriteEthCall(IBufferWriter<byte> writer, Address to, ReadOnlySpan<byte> calldata)
    {
        WriteU8(writer, (byte)HostMethod.EthCall);
        WriteAddress(writer, to);
        WriteBytes(writer, calldata);
    }

    /// <summary><c>eth_send</c>: <c>to:address calldata:bytes data:bytes</c> (data = JSON side data, §6).</summary>
    public static void WriteEthSend(IBufferWriter<byte> writer, Address to, ReadOnlySpan<byte> calldata, ReadOnlySpan<byte> json)
    {
        WriteU8(writer, (byte)HostMethod.EthSend);
        WriteAddress(writer, to);
        WriteBytes(writer, calldata);
        WriteBytes(writer, json);
    }

    /// <summary><c>get_balance</c>: <c>account:address</c>.</summary>
    public static void WriteGetBalance(IBufferWriter<byte> writer, Address account)
    {
        WriteU8(writer, (byte)HostMethod.GetBalance);
        WriteAddress(writer, account);
    }

    /// <summary><c>remaining_fuel_as_gen</c>: the id only.</summary>
    public static void WriteRemainingFuelAsGen(IBufferWriter<byte> writer) => WriteU8(writer, (byte)HostMethod.RemainingFuelAsGen);

    /// <summary><c>notify_nondet_disagreement</c>: <c>call_no:u32</c>.</summary>
    public static void WriteNotifyNondetDisagreement(IBufferWriter<byte> writer, uint callNo)
    {
        WriteU8(writer, (byte)HostMethod.NotifyNondetDisagreement);
        WriteU32(writer, callNo);
    }

    /// <summary>Throws unless <paramref name="slot"/> is exactly 32 octets.</summary>
    public static void CheckSlot(ReadOnlySpan<byte> slot)
    {
        if (slot.Length != SlotLength)
        {
            throw new ArgumentException($"a storage slot id is {SlotLength} octets, got {slot.Length}", nameof(slot));
        }
    }

    private static void WriteU8(IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void WriteU32(IBufferWriter<byte> writer, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void WriteAddress(IBufferWriter<byte> writer, Address address)
    {
        address.CopyTo(writer.GetSpan(Address.Length));
        writer.Advance(Address.Length);
    }

    private static void WriteBytes(IBufferWriter<byte> writer, ReadOnlySpan<byte> data)
    {
        WriteU32(writer, (uint)data.Length);
        WriteRaw(writer, data);
    }

    private static void WriteRaw(IBufferWriter<byte> writer, ReadOnlySpan<byte> data)
    {
        if (!data.IsEmpty)
        {
            data.CopyTo(writer.GetSpan(data.Length));
            writer.Advance(data.Length);
        }
    }
}
