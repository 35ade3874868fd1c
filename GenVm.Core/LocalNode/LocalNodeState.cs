using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;

namespace GenVm.Core.LocalNode;

/// <summary>
/// The chain state of <c>genvm exec</c>: per account a balance and storage slots (host-protocol.md §12: slot →
/// unbounded octets, never-written octets read as zero; code lives in the code slot), plus the leader results recorded
/// by the last leader run (served to a validator run). Saved as JSON:
/// <c>{"accounts": {"0x…": {"balance": "5", "storage": {"&lt;slot hex&gt;": "&lt;hex&gt;"}}}, "leader_results": ["&lt;hex&gt;"]}</c>.
/// </summary>
internal sealed class LocalNodeState
{
    /// <summary>Storage by account, then slot id (64 lowercase hex digits).</summary>
    public SortedDictionary<Address, SortedDictionary<string, byte[]>> Storage { get; } = [];

    /// <summary>Balances; absent accounts have 0.</summary>
    public SortedDictionary<Address, BigInteger> Balances { get; } = [];

    /// <summary>Leader results (code + payload) by nondet call number, from the last leader run.</summary>
    public List<byte[]> LeaderResults { get; } = [];

    /// <summary>Reads <paramref name="length"/> octets at <paramref name="index"/>; past the end reads zeros.</summary>
    public byte[] Read(Address account, string slotHex, uint index, uint length)
    {
        var result = new byte[length];
        if (Storage.TryGetValue(account, out var slots) && slots.TryGetValue(slotHex, out var stored) && index < stored.Length)
        {
            stored.AsSpan((int)index, (int)Math.Min(length, (uint)stored.Length - index)).CopyTo(result);
        }

        return result;
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="index"/>, extending with zeros as needed.</summary>
    public void Write(Address account, string slotHex, uint index, ReadOnlySpan<byte> data)
    {
        if (!Storage.TryGetValue(account, out var slots))
        {
            slots = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            Storage[account] = slots;
        }

        var current = slots.GetValueOrDefault(slotHex, []);
        var end = (long)index + data.Length;
        if (current.Length < end)
        {
            Array.Resize(ref current, (int)end);
        }

        data.CopyTo(current.AsSpan((int)index));
        slots[slotHex] = current;
    }

    /// <summary>Whether <paramref name="account"/> has code: a non-zero length word in its code slot (host-protocol.md §12).</summary>
    public bool HasCode(Address account) => BitConverter.ToUInt32(Read(account, SlotId.Code, 0, 4)) != 0;

    /// <summary>
    /// Deploys <paramref name="code"/> at <paramref name="account"/> the way test tooling does (host-protocol.md §12):
    /// the code slot is replaced by the u32le length at index 0 and the code from index 4.
    /// </summary>
    public void DeployCode(Address account, ReadOnlySpan<byte> code)
    {
        if (Storage.TryGetValue(account, out var slots))
        {
            slots.Remove(SlotId.Code);
        }

        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)code.Length);
        Write(account, SlotId.Code, 0, length);
        Write(account, SlotId.Code, 4, code);
    }

    /// <summary>A deep copy (the run's writes go to a copy that is kept only when the transaction returns).</summary>
    public LocalNodeState Clone()
    {
        var copy = new LocalNodeState();
        foreach (var (account, slots) in Storage)
        {
            var slotCopy = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (slot, data) in slots)
            {
                slotCopy[slot] = (byte[])data.Clone();
            }

            copy.Storage[account] = slotCopy;
        }

        foreach (var (account, balance) in Balances)
        {
            copy.Balances[account] = balance;
        }

        copy.LeaderResults.AddRange(LeaderResults.Select(r => (byte[])r.Clone()));
        return copy;
    }

    /// <summary>Parses the JSON form.</summary>
    /// <exception cref="FormatException">The JSON is malformed or has a bad address, number or hex string.</exception>
    public static LocalNodeState Parse(string json)
    {
        var state = new LocalNodeState();
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"state is not JSON: {e.Message}", e);
        }

        if (root is not JsonObject top)
        {
            throw new FormatException("state must be a JSON object");
        }

        try
        {
            if (top["accounts"] is JsonObject accounts)
            {
                foreach (var (key, value) in accounts)
                {
                    var address = Address.TryParse(key, out var a) ? a : throw new FormatException($"state: bad address `{key}`");
                    if (value?["balance"] is JsonNode balance)
                    {
                        var text = balance.GetValueKind() == JsonValueKind.Number ? balance.ToJsonString() : balance.GetValue<string>();
                        state.Balances[address] = BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                            ? n
                            : throw new FormatException($"state: bad balance `{text}` of {key}");
                    }

                    if (value?["storage"] is JsonObject slots)
                    {
                        foreach (var (slot, data) in slots)
                        {
                            if (slot.Length != 64 || !slot.All(char.IsAsciiHexDigit))
                            {
                                throw new FormatException($"state: bad slot id `{slot}` of {key} (64 hex digits)");
                            }

                            state.Write(address, slot.ToLowerInvariant(), 0, Convert.FromHexString(data!.GetValue<string>()));
                        }
                    }
                }
            }

            if (top["leader_results"] is JsonArray results)
            {
                state.LeaderResults.AddRange(results.Select(r => Convert.FromHexString(r!.GetValue<string>())));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException || (e is FormatException && !e.Message.StartsWith("state:", StringComparison.Ordinal)))
        {
            throw new FormatException($"state: {e.Message}", e);
        }

        return state;
    }

    /// <summary>The JSON form (indented, accounts and slots sorted).</summary>
    public string ToJson()
    {
        // Written with a Utf8JsonWriter rather than through JsonNode and JsonSerializerOptions: the same text (two-space
        // indentation, the default encoder), without the serializer's set-up, which a fresh `genvm exec` paid for in
        // JIT time. Accounts in address order: the two sorted maps merged.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("accounts");
            using var storage = Storage.GetEnumerator();
            using var balances = Balances.GetEnumerator();
            var hasStorage = storage.MoveNext();
            var hasBalance = balances.MoveNext();
            while (hasStorage || hasBalance)
            {
                var order = !hasStorage ? 1 : !hasBalance ? -1 : storage.Current.Key.CompareTo(balances.Current.Key);
                writer.WriteStartObject((order <= 0 ? storage.Current.Key : balances.Current.Key).ToString());
                if (order >= 0)
                {
                    writer.WriteString("balance", balances.Current.Value.ToString(CultureInfo.InvariantCulture));
                    hasBalance = balances.MoveNext();
                }

                if (order <= 0)
                {
                    writer.WriteStartObject("storage");
                    foreach (var (slot, data) in storage.Current.Value)
                    {
                        writer.WriteString(slot, Convert.ToHexStringLower(data));
                    }

                    writer.WriteEndObject();
                    hasStorage = storage.MoveNext();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartArray("leader_results");
            foreach (var result in LeaderResults)
            {
                writer.WriteStringValue(Convert.ToHexStringLower(result));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
