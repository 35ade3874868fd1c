using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace GenVm.Core.LocalNode;

/// <summary>
/// Reads the JSON side data of <c>post_message</c>, <c>deploy_contract</c> and <c>eth_send</c> (host-protocol.md §6:
/// <c>{"on":…,"salt_nonce":"0x…","value":"0x…"}</c>) leniently: the executor always sends well-formed JSON, anything
/// else reads as absent.
/// </summary>
internal static class LocalSideData
{
    /// <summary>The <c>0x</c> hex u256 field <paramref name="name"/>; 0 when absent or unreadable.</summary>
    public static BigInteger Hex(string data, string name)
        => Text(data, name) is { } text
            && text.StartsWith("0x", StringComparison.Ordinal)
            && BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
            ? number
            : BigInteger.Zero;

    /// <summary>The string field <paramref name="name"/>; null when absent, not a string or the data is not JSON.</summary>
    public static string? Text(string data, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(name, out var field)
                && field.ValueKind == JsonValueKind.String
                ? field.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
