using System.Globalization;
using System.Numerics;
using System.Text.Json;
using GenVm.Core.Calldata;

namespace GenVm.Core.Messages;

/// <summary>
/// The <c>--host-data</c> JSON object (host-protocol.md §1.1, modules.md §2.3): string fields <c>node_address</c> and
/// <c>tx_id</c> are required, other fields are kept; the whole object is forwarded to the modules in the Hello.
/// </summary>
/// <param name="NodeAddress">The node's address, as given.</param>
/// <param name="TxId">The transaction id, as given.</param>
/// <param name="Value">All fields as a calldata map (the required ones included).</param>
internal sealed record HostData(string NodeAddress, string TxId, CalldataMap Value)
{
    private const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>Parses the JSON object; the default <c>{}</c> fails (missing <c>node_address</c>).</summary>
    /// <exception cref="MessageFormatException">Malformed JSON, a missing/mistyped required field, or a value calldata cannot carry.</exception>
    public static HostData Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new MessageFormatException($"invalid host data JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new MessageFormatException("invalid host data JSON: expected an object");
            }

            var value = (CalldataMap)Convert(document.RootElement, "host data");
            return new HostData(RequiredString(value, "node_address"), RequiredString(value, "tx_id"), value);
        }
    }

    private static string RequiredString(CalldataMap map, string name)
        => map.TryGetValue(name, out var value)
            ? value.Kind == CalldataKind.Str ? value.AsString() : throw new MessageFormatException($"invalid host data JSON: `{name}` must be a string")
            : throw new MessageFormatException($"invalid host data JSON: missing field `{name}`");

    /// <summary>JSON → calldata with the executor's conventions (calldata.md §7): floats only when integral and within ±(2^53−1).</summary>
    private static CalldataValue Convert(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return CalldataValue.Null;
            case JsonValueKind.True:
                return CalldataValue.True;
            case JsonValueKind.False:
                return CalldataValue.False;
            case JsonValueKind.String:
                return CalldataValue.FromString(element.GetString()!);
            case JsonValueKind.Array:
                return CalldataValue.FromArray(element.EnumerateArray().Select((e, i) => Convert(e, $"{path}[{i}]")).ToArray());
            case JsonValueKind.Object:
                var entries = new Dictionary<string, CalldataValue>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    // Later duplicates win, like a JSON object read into a map.
                    entries[property.Name] = Convert(property.Value, $"{path}.{property.Name}");
                }

                return CalldataValue.FromMap(entries);
            default:
                return ConvertNumber(element, path);
        }
    }

    private static CalldataValue ConvertNumber(JsonElement element, string path)
    {
        // Integers that fit i64/u64 stay exact; anything else is a float (as in a JSON value model without
        // arbitrary precision) and must be integral and within ±(2^53−1).
        if (element.TryGetInt64(out var signed))
        {
            return CalldataValue.FromNumber(signed);
        }

        if (element.TryGetUInt64(out var unsigned))
        {
            return CalldataValue.FromNumber(unsigned);
        }

        var number = element.GetDouble();
        if (Math.Floor(number) != number)
        {
            throw new MessageFormatException($"invalid host data JSON: {path}: float has fractional part");
        }

        if (Math.Abs(number) > MaxSafeInteger)
        {
            throw new MessageFormatException($"invalid host data JSON: {path}: float out of range for serialization");
        }

        return CalldataValue.FromNumber(new BigInteger(number));
    }
}
