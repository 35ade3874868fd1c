using System.Globalization;
using System.Numerics;
using System.Text.Json;
using GenVm.Core.Calldata;

namespace GenVm.Core.Messages;

/// <summary>Parses and validates the <c>--message</c> JSON (host-protocol.md §10).</summary>
internal static class MessageJson
{
    private const string ContractAddress = "contract_address";
    private const string SenderAddress = "sender_address";
    private const string OriginAddress = "origin_address";
    private const string ChainId = "chain_id";
    private const string Value = "value";
    private const string IsInit = "is_init";
    private const string Datetime = "datetime";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>Parses <paramref name="json"/> into a <see cref="TransactionMessage"/>, applying the defaults.</summary>
    /// <exception cref="MessageFormatException">Malformed JSON, a missing or mistyped field, or a bad value.</exception>
    public static TransactionMessage Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new MessageFormatException($"invalid message JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MessageFormatException($"invalid message JSON: expected an object, got {Describe(root.ValueKind)}");
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                // Unknown fields (e.g. "$schema", "gas") are ignored; a known field given twice is an error.
                if (IsKnown(property.Name) && !fields.TryAdd(property.Name, property.Value))
                {
                    throw new MessageFormatException($"invalid message JSON: duplicate field `{property.Name}`");
                }
            }

            return new TransactionMessage(
                ParseAddress(fields, ContractAddress),
                ParseAddress(fields, SenderAddress),
                ParseAddress(fields, OriginAddress),
                ParseChainId(fields),
                ParseValue(fields),
                ParseIsInit(fields),
                ParseDatetime(fields));
        }
    }

    private static bool IsKnown(string name)
        => name is ContractAddress or SenderAddress or OriginAddress or ChainId or Value or IsInit or Datetime;

    private static JsonElement Required(Dictionary<string, JsonElement> fields, string name, JsonValueKind kind, string what)
    {
        if (!fields.TryGetValue(name, out var element))
        {
            throw new MessageFormatException($"invalid message JSON: missing field `{name}`");
        }

        if (element.ValueKind != kind && !(kind == JsonValueKind.True && element.ValueKind == JsonValueKind.False))
        {
            throw new MessageFormatException($"invalid message JSON: `{name}` must be {what}, got {Describe(element.ValueKind)}");
        }

        return element;
    }

    /// <summary>Standard base64 with padding of exactly 20 octets (28 characters), canonical trailing bits.</summary>
    private static Address ParseAddress(Dictionary<string, JsonElement> fields, string name)
    {
        var text = Required(fields, name, JsonValueKind.String, "a base64 string").GetString()!;
        Span<byte> octets = stackalloc byte[Address.Length + 2];
        if (text.Length != 28
            || !IsBase64Alphabet(text)
            || !Convert.TryFromBase64String(text, octets, out var written)
            || written != Address.Length
            || Convert.ToBase64String(octets[..Address.Length]) != text)
        {
            throw new MessageFormatException($"invalid message JSON: `{name}` must be the standard base64 (with padding) of 20 octets, got `{text}`");
        }

        return new Address(octets[..Address.Length]);
    }

    // Convert.TryFromBase64String skips white space; the reference's decoder does not.
    private static bool IsBase64Alphabet(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                return false;
            }
        }

        return true;
    }

    private static BigInteger ParseChainId(Dictionary<string, JsonElement> fields)
    {
        var text = Required(fields, ChainId, JsonValueKind.String, "a string holding a decimal integer").GetString()!;
        var digits = text.AsSpan();
        if (digits.Length > 0 && (digits[0] == '+' || digits[0] == '-'))
        {
            digits = digits[1..];
        }

        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9')
            || !BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new MessageFormatException($"invalid message JSON: `chain_id` must be a decimal integer, got `{text}`");
        }

        return value;
    }

    private static ulong ParseValue(Dictionary<string, JsonElement> fields)
    {
        if (!fields.TryGetValue(Value, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        // An integer literal only: the reference reads a u64, which refuses fractions, exponents and signs.
        var raw = element.ValueKind == JsonValueKind.Number ? element.GetRawText() : null;
        if (raw is null || raw.AsSpan().ContainsAnyExceptInRange('0', '9')
            || !ulong.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new MessageFormatException(
                $"invalid message JSON: `value` must be null or an integer in 0 ..= 2^64-1, got {(raw ?? Describe(element.ValueKind))}");
        }

        return value;
    }

    private static bool ParseIsInit(Dictionary<string, JsonElement> fields)
        => Required(fields, IsInit, JsonValueKind.True, "a boolean").GetBoolean();

    private static MessageDatetime ParseDatetime(Dictionary<string, JsonElement> fields)
    {
        // UNKNOWN whether the reference accepts null here; we treat it like absence (docs/decisions.md).
        if (!fields.TryGetValue(Datetime, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return MessageDatetime.Default;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            throw new MessageFormatException($"invalid message JSON: `datetime` must be an RFC 3339 string, got {Describe(element.ValueKind)}");
        }

        var text = element.GetString()!;
        return MessageDatetime.TryParse(text, out var value, out var error)
            ? value
            : throw new MessageFormatException($"invalid message JSON: `datetime`: {error}");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
