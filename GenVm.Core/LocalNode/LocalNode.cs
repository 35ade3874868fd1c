using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;

namespace GenVm.Core.LocalNode;

/// <summary>
/// The node side of the host protocol (host-protocol.md §2-§8) for <c>genvm exec</c>, served in-process over a
/// stream: storage and balances from a <see cref="LocalNodeState"/>, outgoing messages, deploys, events and eth sends
/// recorded in <see cref="Log"/>. Storage writes go to <see cref="Working"/>, which the caller keeps only when the
/// transaction returns (§5: the host discards writes otherwise).
/// </summary>
internal sealed class LocalNode
{
    private const ulong RemainingFuel = (1UL << 53) - 1;

    private readonly Address _contract;
    private readonly byte[] _calldata;
    private readonly bool _validator;
    private readonly IReadOnlyList<byte[]> _leaderResults;

    /// <summary>Serves <paramref name="state"/> for a transaction of <paramref name="contract"/>.</summary>
    /// <param name="state">The state before the run (not modified).</param>
    /// <param name="contract">The top-level contract: target of <c>storage_write</c>.</param>
    /// <param name="calldata">The entry calldata answered to <c>get_calldata</c>.</param>
    /// <param name="validator">
    /// Answer <c>get_leader_nondet_result</c> with the state's recorded leader results (validator mode; past the end:
    /// <c>absent</c>) instead of <c>i_am_leader</c>.
    /// </param>
    public LocalNode(LocalNodeState state, Address contract, byte[] calldata, bool validator)
    {
        ArgumentNullException.ThrowIfNull(state);
        Working = state.Clone();
        _leaderResults = state.LeaderResults;
        _contract = contract;
        _calldata = calldata;
        _validator = validator;
    }

    /// <summary>The state with this run's storage writes.</summary>
    public LocalNodeState Working { get; }

    /// <summary>Human-readable lines for messages, deploys, eth sends, events and refused calls, in order.</summary>
    public List<string> Log { get; } = [];

    /// <summary>The <c>deploy_contract</c> requests in order (recorded; <c>genvm exec</c> applies them).</summary>
    public List<LocalDeploy> Deploys { get; } = [];

    /// <summary>The <c>post_message</c> and <c>eth_send</c> requests, in order (the sender is the transaction's contract).</summary>
    public List<LocalMessage> Messages { get; } = [];

    /// <summary>Leader results posted with <c>post_nondet_result</c>, by call number.</summary>
    public SortedDictionary<uint, byte[]> PostedLeaderResults { get; } = [];

    /// <summary>The <c>consume_result</c> payload, once received.</summary>
    public byte[]? Result { get; private set; }

    /// <summary>The call number of <c>notify_nondet_disagreement</c>, if sent.</summary>
    public uint? Disagreement { get; private set; }

    /// <summary>Answers requests until <c>consume_result</c> was acknowledged or the executor closed the stream.</summary>
    /// <exception cref="InvalidDataException">The executor sent an unknown method id.</exception>
    public async Task ServeAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new Reader(stream);
        while (true)
        {
            int method;
            try
            {
                method = (await reader.ReadAsync(1, cancellationToken).ConfigureAwait(false))[0];
            }
            catch (EndOfStreamException)
            {
                return;
            }

            var answer = await AnswerAsync((HostMethod)method, reader, cancellationToken).ConfigureAwait(false);
            if (answer is not null)
            {
                await stream.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            if ((HostMethod)method == HostMethod.ConsumeResult)
            {
                return;
            }
        }
    }

    private async Task<byte[]?> AnswerAsync(HostMethod method, Reader r, CancellationToken t)
    {
        switch (method)
        {
            case HostMethod.GetCalldata:
                return [(byte)HostError.Ok, .. U32((uint)_calldata.Length), .. _calldata];
            case HostMethod.StorageRead:
                {
                    _ = await r.ReadAsync(1, t).ConfigureAwait(false);
                    var account = new Address(await r.ReadAsync(Address.Length, t).ConfigureAwait(false));
                    var slot = Convert.ToHexStringLower(await r.ReadAsync(32, t).ConfigureAwait(false));
                    var index = await r.U32Async(t).ConfigureAwait(false);
                    var length = await r.U32Async(t).ConfigureAwait(false);
                    return [(byte)HostError.Ok, .. Working.Read(account, slot, index, length)];
                }

            case HostMethod.StorageWrite:
                {
                    var slot = Convert.ToHexStringLower(await r.ReadAsync(32, t).ConfigureAwait(false));
                    var index = await r.U32Async(t).ConfigureAwait(false);
                    var data = await r.BytesAsync(t).ConfigureAwait(false);
                    Working.Write(_contract, slot, index, data);
                    return [(byte)HostError.Ok];
                }

            case HostMethod.ConsumeResult:
                Result = await r.BytesAsync(t).ConfigureAwait(false);
                return [0];
            case HostMethod.GetLeaderNondetResult:
                {
                    var callNo = await r.U32Async(t).ConfigureAwait(false);
                    if (!_validator)
                    {
                        return [(byte)HostError.IAmLeader];
                    }

                    return callNo < _leaderResults.Count
                        ? [(byte)HostError.Ok, .. U32((uint)_leaderResults[(int)callNo].Length), .. _leaderResults[(int)callNo]]
                        : [(byte)HostError.Absent];
                }

            case HostMethod.PostNondetResult:
                {
                    var callNo = await r.U32Async(t).ConfigureAwait(false);
                    PostedLeaderResults[callNo] = await r.BytesAsync(t).ConfigureAwait(false);
                    return [(byte)HostError.Ok];
                }

            case HostMethod.PostMessage:
                {
                    var to = new Address(await r.ReadAsync(Address.Length, t).ConfigureAwait(false));
                    var calldata = await r.BytesAsync(t).ConfigureAwait(false);
                    var data = await r.BytesAsync(t).ConfigureAwait(false);
                    Log.Add($"post_message to {to} {Encoding.UTF8.GetString(data)}: {Render(calldata)}");
                    Messages.Add(new LocalMessage(_contract, to, calldata, Encoding.UTF8.GetString(data), Evm: false));
                    return [(byte)HostError.Ok];
                }

            case HostMethod.PostEvent:
                {
                    var count = (await r.ReadAsync(1, t).ConfigureAwait(false))[0];
                    var topics = new List<string>();
                    for (var i = 0; i < count; i++)
                    {
                        topics.Add("0x" + Convert.ToHexStringLower(await r.ReadAsync(32, t).ConfigureAwait(false)));
                    }

                    var blob = await r.BytesAsync(t).ConfigureAwait(false);
                    Log.Add($"post_event [{string.Join(", ", topics)}]: {Render(blob)}");
                    return [(byte)HostError.Ok];
                }

            case HostMethod.ConsumeFuel:
                _ = await r.ReadAsync(8, t).ConfigureAwait(false);
                return null;
            case HostMethod.DeployContract:
                {
                    var calldata = await r.BytesAsync(t).ConfigureAwait(false);
                    var code = await r.BytesAsync(t).ConfigureAwait(false);
                    var data = await r.BytesAsync(t).ConfigureAwait(false);
                    Log.Add($"deploy_contract {Encoding.UTF8.GetString(data)} ({code.Length} octets of code): {Render(calldata)}");

                    // Only the transaction's own contract may send messages (a view callee cannot), so it is the deployer.
                    Deploys.Add(new LocalDeploy(_contract, calldata, code, Encoding.UTF8.GetString(data)));
                    return [(byte)HostError.Ok];
                }

            case HostMethod.EthCall:
                {
                    var to = new Address(await r.ReadAsync(Address.Length, t).ConfigureAwait(false));
                    _ = await r.BytesAsync(t).ConfigureAwait(false);

                    // The local node has no EVM: the call is refused as absent (docs/decisions.md).
                    Log.Add($"eth_call to {to}: refused (no EVM in the local node)");
                    return [(byte)HostError.Absent];
                }

            case HostMethod.EthSend:
                {
                    var to = new Address(await r.ReadAsync(Address.Length, t).ConfigureAwait(false));
                    var calldata = await r.BytesAsync(t).ConfigureAwait(false);
                    var data = await r.BytesAsync(t).ConfigureAwait(false);
                    Log.Add($"eth_send to {to} {Encoding.UTF8.GetString(data)}: 0x{Convert.ToHexStringLower(calldata)}");
                    Messages.Add(new LocalMessage(_contract, to, calldata, Encoding.UTF8.GetString(data), Evm: true));
                    return [(byte)HostError.Ok];
                }

            case HostMethod.GetBalance:
                {
                    var account = new Address(await r.ReadAsync(Address.Length, t).ConfigureAwait(false));
                    var octets = new byte[33];
                    Working.Balances.GetValueOrDefault(account, BigInteger.Zero).TryWriteBytes(octets.AsSpan(1), out _, isUnsigned: true, isBigEndian: false);
                    return octets;
                }

            case HostMethod.RemainingFuelAsGen:
                return [(byte)HostError.Ok, .. U64(RemainingFuel)];
            case HostMethod.NotifyNondetDisagreement:
                Disagreement = await r.U32Async(t).ConfigureAwait(false);
                return null;
            default:
                throw new InvalidDataException($"the executor sent unknown host method id {(int)method}");
        }
    }

    private static string Render(byte[] calldata)
        => CalldataCodec.TryDecode(calldata, out var value, out _) ? CalldataText.Print(value) : "0x" + Convert.ToHexStringLower(calldata);

    private static byte[] U32(uint value)
    {
        var octets = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(octets, value);
        return octets;
    }

    private static byte[] U64(ulong value)
    {
        var octets = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(octets, value);
        return octets;
    }

    /// <summary>Exact reads from the executor's stream.</summary>
    private sealed class Reader(Stream stream)
    {
        public async Task<byte[]> ReadAsync(int count, CancellationToken cancellationToken)
        {
            var buffer = new byte[count];
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer;
        }

        public async Task<uint> U32Async(CancellationToken cancellationToken)
            => BinaryPrimitives.ReadUInt32LittleEndian(await ReadAsync(4, cancellationToken).ConfigureAwait(false));

        public async Task<byte[]> BytesAsync(CancellationToken cancellationToken)
            => await ReadAsync(checked((int)await U32Async(cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
    }
}
