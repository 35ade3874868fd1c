using System.Buffers;
using System.Numerics;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <content>One method per host call (host-protocol.md §3, §5).</content>
internal sealed partial class HostConnection
{
    /// <summary><c>get_calldata</c> (id 0): the entry calldata of the main VM.</summary>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke (see <see cref="HostProtocolErrorKind"/>).</exception>
    public Task<byte[]> GetCalldataAsync(CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>(1);
        HostRequestWriter.WriteGetCalldata(request);
        return ExchangeAsync(HostMethod.GetCalldata, request.WrittenMemory, static async (c, m, t) =>
        {
            await c.ReadOkAsync(m, t).ConfigureAwait(false);
            return await c.ReadBytesFieldAsync(m, "the entry calldata", t).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// <c>storage_read</c> (id 1): reads <paramref name="length"/> octets at <paramref name="index"/> of
    /// (<paramref name="account"/>, <paramref name="slot"/>); the host answers exactly that many octets.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="slot"/> is not 32 octets.</exception>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke, or <paramref name="length"/> exceeds the answer limit.</exception>
    public async Task<byte[]> StorageReadAsync(StorageType readType, Address account, ReadOnlyMemory<byte> slot, uint index, uint length, CancellationToken cancellationToken)
    {
        var destination = length == 0 ? [] : new byte[CheckedRequestLength(HostMethod.StorageRead, length)];
        await StorageReadAsync(readType, account, slot, index, destination, cancellationToken).ConfigureAwait(false);
        return destination;
    }

    /// <summary>
    /// <c>storage_read</c> (id 1) into <paramref name="destination"/>: asks for <c>destination.Length</c> octets.
    /// The destination is written only when the host answers <c>ok</c>, but may be partly written when the
    /// exchange breaks.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="slot"/> is not 32 octets.</exception>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke, or the length exceeds the answer limit.</exception>
    public Task StorageReadAsync(StorageType readType, Address account, ReadOnlyMemory<byte> slot, uint index, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var length = CheckedRequestLength(HostMethod.StorageRead, (uint)destination.Length);
        var request = new ArrayBufferWriter<byte>(1 + 1 + Address.Length + HostRequestWriter.SlotLength + 8);
        HostRequestWriter.WriteStorageRead(request, readType, account, slot.Span, index, (uint)length);
        return ExchangeAsync(HostMethod.StorageRead, request.WrittenMemory, async (c, m, t) =>
        {
            await c.ReadOkAsync(m, t).ConfigureAwait(false);
            await c.ReadExactAsync(destination, m, "the storage data", t).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary><c>storage_write</c> (id 2): writes <paramref name="data"/> at <paramref name="index"/> of a slot of the top-level contract.</summary>
    /// <exception cref="ArgumentException"><paramref name="slot"/> is not 32 octets.</exception>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke.</exception>
    public Task StorageWriteAsync(ReadOnlyMemory<byte> slot, uint index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>(1 + HostRequestWriter.SlotLength + 8 + data.Length);
        HostRequestWriter.WriteStorageWrite(request, slot.Span, index, data.Span);
        return ExchangeAsync(HostMethod.StorageWrite, request.WrittenMemory, ReadOkOnly, cancellationToken);
    }

    /// <summary>
    /// <c>consume_result</c> (id 3): sends the encoded result (<see cref="ContractResult.ToConsumeResultPayload"/>) and reads the
    /// one-octet acknowledgement (any value). Afterwards the connection refuses further calls
    /// (<see cref="HostProtocolErrorKind.Finished"/>).
    /// </summary>
    /// <exception cref="HostProtocolException">The exchange broke (e.g. the host closed without acknowledging).</exception>
    public Task ConsumeResultAsync(ReadOnlyMemory<byte> result, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>(5 + result.Length);
        HostRequestWriter.WriteConsumeResult(request, result.Span);
        return ExchangeAsync(HostMethod.ConsumeResult, request.WrittenMemory, static async (c, m, t) =>
        {
            var ack = new byte[1];
            await c.ReadExactAsync(ack, m, "the acknowledgement", t).ConfigureAwait(false);
            c._finished = true;
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// <c>get_leader_nondet_result</c> (id 4): <c>i_am_leader</c> gives <see cref="LeaderNondetAnswer.IAmLeader"/>;
    /// <c>ok</c> gives the leader's result (which must be non-empty with code 0, 1 or 2).
    /// </summary>
    /// <exception cref="HostErrorException">The host answered with another error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke, or the result is empty or has an unknown code.</exception>
    public Task<LeaderNondetAnswer> GetLeaderNondetResultAsync(uint callNo, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>(5);
        HostRequestWriter.WriteGetLeaderNondetResult(request, callNo);
        return ExchangeAsync(HostMethod.GetLeaderNondetResult, request.WrittenMemory, static async (c, m, t) =>
        {
            var error = await c.ReadErrorAsync(m, t).ConfigureAwait(false);
            switch (error)
            {
                case HostError.IAmLeader:
                    return LeaderNondetAnswer.IAmLeader;
                case HostError.Ok:
                    var bytes = await c.ReadBytesFieldAsync(m, "the leader's result", t).ConfigureAwait(false);
                    // host-protocol.md §5: the result "must be non-empty"; §8.3: code 0..2. UNKNOWN: the
                    // reference's reaction to other codes; we treat it like the empty case (docs/decisions.md).
                    return NondetResult.TryParse(bytes, out var result)
                        ? LeaderNondetAnswer.FromLeaderResult(result)
                        : throw new HostProtocolException(
                            HostProtocolErrorKind.InvalidAnswer,
                            m,
                            bytes.Length == 0 ? "host sent an empty leader result" : $"host sent a leader result with unknown code {bytes[0]}");
                default:
                    throw new HostErrorException(m, error);
            }
        }, cancellationToken);
    }

    /// <summary><c>post_nondet_result</c> (id 5): posts the leader's result of call <paramref name="callNo"/>.</summary>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke.</exception>
    public Task PostNondetResultAsync(uint callNo, NondetResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var request = new ArrayBufferWriter<byte>(10 + result.Payload.Length);
        HostRequestWriter.WritePostNondetResult(request, callNo, result.Code, result.Payload.Span);
        return ExchangeAsync(HostMethod.PostNondetResult, request.WrittenMemory, ReadOkOnly, cancellationToken);
    }

    /// <summary>
    /// <c>post_message</c> (id 6): sends <paramref name="calldata"/> (the re-encoded calldata value) to
    /// <paramref name="to"/> with the side data <c>{"on":…,"value":…}</c> (host-protocol.md §6).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a u256.</exception>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke.</exception>
    public Task PostMessageAsync(Address to, ReadOnlyMemory<byte> calldata, MessageDelivery on, BigInteger value, CancellationToken cancellationToken)
    {
        var json = HostSideData.PostMessage(on, value);
        var request = new ArrayBufferWriter<byte>(1 + Address.Length + 8 + calldata.Length + json.Length);
        HostRequestWriter.WritePostMessage(request, to, calldata.Span, json);
        return ExchangeAsync(HostMethod.PostMessage, request.WrittenMemory, ReadOkOnly, cancellationToken);
    }

    /// <summary><c>post_event</c> (id 7): up to 4 topics of 32 octets and the encoded calldata map <paramref name="blob"/>.</summary>
    /// <exception cref="ArgumentException">More than 4 topics, or a topic that is not 32 octets.</exception>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke.</exception>
    public Task PostEventAsync(IReadOnlyList<ReadOnlyMemory<byte>> topics, ReadOnlyMemory<byte> blob, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>(6 + (HostRequestWriter.TopicLength * HostRequestWriter.MaxTopics) + blob.Length);
        HostRequestWriter.WritePostEvent(request, topics, blob.Span);
        return ExchangeAsync(HostMethod.PostEvent, request.WrittenMemory, ReadOkOnly, cancellationToken);
    }

    /// <summary><c>consume_fuel</c> (id 8): reports gas consumed by an LLM call. The host sends no answer.</summary>
    /// <exception cref="HostProtocolException">Sending failed.</exception>
    public Task ConsumeFuelAsync(ulong gas, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>(9);
        HostRequestWriter.WriteConsumeFuel(request, gas);
        return ExchangeAsync(HostMethod.ConsumeFuel, request.WrittenMemory, NoAnswer, cancellationToken);
    }

    /// <summary>
    /// <c>deploy_contract</c> (id 9): deploys <paramref name="code"/> with constructor <paramref name="calldata"/> and
    /// the side data <c>{"on":…,"salt_nonce":…,"value":…}</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is not a u256.</exception>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke.</exception>
    public Task DeployContractAsync(ReadOnlyMemory<byte> calldata, ReadOnlyMemory<byte> code, MessageDelivery on, BigInteger saltNonce, BigInteger value, CancellationToken cancellationToken)
    {
        var json = HostSideData.DeployContract(on, saltNonce, value);
        var request = new ArrayBufferWriter<byte>(13 + calldata.Length + code.Length + json.Length);
        HostRequestWriter.WriteDeployContract(request, calldata.Span, code.Span, json);
        return ExchangeAsync(HostMethod.DeployContract, request.WrittenMemory, ReadOkOnly, cancellationToken);
    }

    /// <summary><c>eth_call</c> (id 10): read-only EVM call with raw ABI <paramref name="calldata"/>; returns the raw return data.</summary>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke.</exception>
    public Task<byte[]> EthCallAsync(Address to, ReadOnlyMemory<byte> calldata, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>(1 + Address.Length + 4 + calldata.Length);
        HostRequestWriter.WriteEthCall(request, to, calldata.Span);
        return ExchangeAsync(HostMethod.EthCall, request.WrittenMemory, static async (c, m, t) =>
        {
            await c.ReadOkAsync(m, t).ConfigureAwait(false);
            return await c.ReadBytesFieldAsync(m, "the return data", t).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary><c>eth_send</c> (id 11): EVM transaction with raw ABI <paramref name="calldata"/> and side data <c>{"value":…}</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a u256.</exception>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke.</exception>
    public Task EthSendAsync(Address to, ReadOnlyMemory<byte> calldata, BigInteger value, CancellationToken cancellationToken)
    {
        var json = HostSideData.EthSend(value);
        var request = new ArrayBufferWriter<byte>(1 + Address.Length + 8 + calldata.Length + json.Length);
        HostRequestWriter.WriteEthSend(request, to, calldata.Span, json);
        return ExchangeAsync(HostMethod.EthSend, request.WrittenMemory, ReadOkOnly, cancellationToken);
    }

    /// <summary>
    /// <c>get_balance</c> (id 12): the balance of <paramref name="account"/> (a 32-octet little-endian u256). The
    /// connection does not cache; the per-run cache of host-protocol.md §5 belongs to the caller.
    /// </summary>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke.</exception>
    public Task<BigInteger> GetBalanceAsync(Address account, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>(1 + Address.Length);
        HostRequestWriter.WriteGetBalance(request, account);
        return ExchangeAsync(HostMethod.GetBalance, request.WrittenMemory, static async (c, m, t) =>
        {
            await c.ReadOkAsync(m, t).ConfigureAwait(false);
            var octets = new byte[HostResponseReader.U256Length];
            await c.ReadExactAsync(octets, m, "the balance", t).ConfigureAwait(false);
            return HostResponseReader.ReadU256(octets);
        }, cancellationToken);
    }

    /// <summary><c>remaining_fuel_as_gen</c> (id 13): the remaining fuel, asked right before each LLM call.</summary>
    /// <exception cref="HostErrorException">The host answered with an error code.</exception>
    /// <exception cref="HostProtocolException">The exchange broke.</exception>
    public Task<ulong> RemainingFuelAsGenAsync(CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>(1);
        HostRequestWriter.WriteRemainingFuelAsGen(request);
        return ExchangeAsync(HostMethod.RemainingFuelAsGen, request.WrittenMemory, static async (c, m, t) =>
        {
            await c.ReadOkAsync(m, t).ConfigureAwait(false);
            var octets = new byte[8];
            await c.ReadExactAsync(octets, m, "the remaining fuel", t).ConfigureAwait(false);
            return HostResponseReader.ReadU64(octets);
        }, cancellationToken);
    }

    /// <summary>
    /// <c>notify_nondet_disagreement</c> (id 14): the smallest nondet call number whose validator disagreed. The
    /// host sends no answer.
    /// </summary>
    /// <exception cref="HostProtocolException">Sending failed.</exception>
    public Task NotifyNondetDisagreementAsync(uint callNo, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>(5);
        HostRequestWriter.WriteNotifyNondetDisagreement(request, callNo);
        return ExchangeAsync(HostMethod.NotifyNondetDisagreement, request.WrittenMemory, NoAnswer, cancellationToken);
    }

    private static async ValueTask<bool> ReadOkOnly(HostConnection connection, HostMethod method, CancellationToken cancellationToken)
    {
        await connection.ReadOkAsync(method, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static ValueTask<bool> NoAnswer(HostConnection connection, HostMethod method, CancellationToken cancellationToken)
        => ValueTask.FromResult(true);

    private int CheckedRequestLength(HostMethod method, uint length)
    {
        // Refused before sending, so the connection stays usable.
        CheckAnswerLength(method, length, "the requested length");
        return (int)length;
    }
}
