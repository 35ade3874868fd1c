using System.Buffers.Binary;
using System.Numerics;

namespace GenVm.Tests.Core.Host;

/// <summary>
/// A minimal node on top of <see cref="TestHost"/>, written from host-protocol.md §5 and §12 like the reference mock:
/// storage is a map (account, slot) → growable octets where never-written octets read as zero; writes target the
/// top-level contract; absent leader results answer <c>i_am_leader</c>. Every request is kept in
/// <see cref="Transcript"/>.
/// </summary>
internal sealed class TestNode
{
    private readonly Dictionary<(string Account, string Slot), byte[]> _storage = [];

    /// <summary>The top-level contract (target of <c>storage_write</c>), as 40 hex digits.</summary>
    public required string ContractHex { get; init; }

    /// <summary>The entry calldata answered to <c>get_calldata</c> (settable between runs on the same storage).</summary>
    public byte[] Calldata { get; set; } = [0x06];

    /// <summary>Balances by account hex; absent accounts have 0.</summary>
    public Dictionary<string, BigInteger> Balances { get; } = [];

    /// <summary>
    /// Leader results served by <c>get_leader_nondet_result</c> (code + payload) like the reference mock's
    /// <c>leader_nondet</c> (testdata.md §7): null answers <c>i_am_leader</c>; call numbers past the end answer <c>absent</c>.
    /// </summary>
    public List<byte[]>? LeaderResults { get; init; }

    /// <summary>The raw answer of <c>eth_call</c> (host-protocol.md §5 id 10).</summary>
    public byte[] EthCallResult { get; init; } = [];

    /// <summary>
    /// Replaces the answer to a request: return the octets to send instead (an error code, a broken or oversized
    /// answer), or null for the normal answer. Not consulted for the two methods without an answer (ids 8 and 14).
    /// </summary>
    public Func<TestHostRequest, byte[]?>? Override { get; init; }

    /// <summary>Closes the connection instead of answering when this returns true (a host that disconnects mid-run).</summary>
    public Func<TestHostRequest, bool>? DisconnectAt { get; init; }

    /// <summary>Octets sent just before a <see cref="DisconnectAt"/> disconnect (a truncated answer).</summary>
    public byte[] PartialBeforeDisconnect { get; init; } = [];

    /// <summary>Every request in arrival order.</summary>
    public List<TestHostRequest> Transcript { get; } = [];

    /// <summary>The payload of <c>consume_result</c>, once received.</summary>
    public byte[]? Result { get; private set; }

    /// <summary>Writes octets into storage (test setup, like the tooling's deploy writes).</summary>
    public void Write(string accountHex, string slotHex, uint index, byte[] data)
    {
        var key = (accountHex, slotHex);
        var current = _storage.GetValueOrDefault(key, []);
        var end = (int)index + data.Length;
        if (current.Length < end)
        {
            Array.Resize(ref current, end);
        }

        data.CopyTo(current, (int)index);
        _storage[key] = current;
    }

    /// <summary>Set when the executor closed the connection before <c>consume_result</c>: what the read saw.</summary>
    public string? ClosedEarly { get; private set; }

    /// <summary>
    /// Answers requests until <c>consume_result</c> has been acknowledged, or until the executor closes the connection
    /// between requests (<see cref="ClosedEarly"/>).
    /// </summary>
    public async Task ServeAsync(TestHost host, CancellationToken cancellationToken)
    {
        while (true)
        {
            TestHostRequest request;
            try
            {
                request = await host.ReadRequestAsync(cancellationToken);
            }
            catch (Exception e) when (e is EndOfStreamException or System.Net.Sockets.SocketException)
            {
                ClosedEarly = e.Message;
                return;
            }

            Transcript.Add(request);
            if (DisconnectAt?.Invoke(request) == true)
            {
                await host.SendAsync(PartialBeforeDisconnect);
                host.Disconnect();
                return;
            }

            if (request.Method is not (8 or 14) && Override?.Invoke(request) is { } replacement)
            {
                await host.SendAsync(replacement);
                if (request.Method == 3)
                {
                    return;
                }

                continue;
            }

            switch (request.Method)
            {
                case 0:
                    await host.SendAsync([0, .. U32(Calldata.Length), .. Calldata]);
                    break;
                case 1:
                    var account = Convert.ToHexStringLower(request.Field("account"));
                    var slot = Convert.ToHexStringLower(request.Field("slot"));
                    var index = BinaryPrimitives.ReadInt32LittleEndian(request.Field("index"));
                    var length = BinaryPrimitives.ReadInt32LittleEndian(request.Field("len"));
                    var stored = _storage.GetValueOrDefault((account, slot), []);
                    var answer = new byte[1 + length];
                    if (index < stored.Length)
                    {
                        stored.AsSpan(index, Math.Min(length, stored.Length - index)).CopyTo(answer.AsSpan(1));
                    }

                    await host.SendAsync(answer);
                    break;
                case 2:
                    Write(ContractHex, Convert.ToHexStringLower(request.Field("slot")), BinaryPrimitives.ReadUInt32LittleEndian(request.Field("index")), request.Field("data"));
                    await host.SendAsync([0]);
                    break;
                case 3:
                    Result = request.Field("result");
                    await host.SendAsync([0]);
                    return;
                case 4:
                    var callNo = BinaryPrimitives.ReadInt32LittleEndian(request.Field("call_no"));
                    if (LeaderResults is null)
                    {
                        await host.SendAsync([3]);
                    }
                    else if (callNo >= LeaderResults.Count)
                    {
                        await host.SendAsync([1]);
                    }
                    else
                    {
                        await host.SendAsync([0, .. U32(LeaderResults[callNo].Length), .. LeaderResults[callNo]]);
                    }

                    break;
                case 8 or 14:
                    break;
                case 10:
                    await host.SendAsync([0, .. U32(EthCallResult.Length), .. EthCallResult]);
                    break;
                case 12:
                    var balance = Balances.GetValueOrDefault(Convert.ToHexStringLower(request.Field("account")));
                    var octets = new byte[33];
                    balance.TryWriteBytes(octets.AsSpan(1), out _, isUnsigned: true, isBigEndian: false);
                    await host.SendAsync(octets);
                    break;
                case 13:
                    await host.SendAsync([0, .. U64((1UL << 53) - 1)]);
                    break;
                default:
                    await host.SendAsync([0]);
                    break;
            }
        }
    }

    private static byte[] U32(int value)
    {
        var octets = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(octets, value);
        return octets;
    }

    private static byte[] U64(ulong value)
    {
        var octets = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(octets, value);
        return octets;
    }
}
