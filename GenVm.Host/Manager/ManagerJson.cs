using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GenVm.Host.Manager;

/// <summary>
/// Request bodies and responses of the manager API (manager.md §3): bodies are parsed as JSON whatever the
/// <c>Content-Type</c>; a malformed body or field is a <see cref="ManagerException.BadRequest"/> naming the problem.
/// </summary>
internal static class ManagerJson
{
    private const int MaxBodyBytes = 64 << 20;

    /// <summary>Reads the whole body as bytes (raw contract code, JSON text).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw ManagerException.BadRequest("request body is too large");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads the body as a JSON object.</summary>
    /// <exception cref="ManagerException">400: not JSON, or not an object.</exception>
    public static async Task<JsonElement> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw ManagerException.BadRequest("invalid JSON body: " + e.Message);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ManagerException.BadRequest("invalid JSON body: expected an object");
        }

        return root;
    }

    /// <summary>A required field.</summary>
    public static JsonElement Required(JsonElement body, string name)
        => body.TryGetProperty(name, out var value) ? value : throw ManagerException.BadRequest($"missing field `{name}`");

    /// <summary>A field, or null when absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement body, string name)
        => body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string field.</summary>
    public static string String(JsonElement value, string name)
        => value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(name, "a string");

    /// <summary>A boolean field.</summary>
    public static bool Bool(JsonElement value, string name)
        => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Invalid(name, "a boolean");

    /// <summary>An unsigned 32-bit field.</summary>
    public static uint UInt32(JsonElement value, string name)
        => value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var n) ? n : throw Invalid(name, "an unsigned 32-bit integer");

    /// <summary>An unsigned 64-bit field.</summary>
    public static ulong UInt64(JsonElement value, string name)
        => value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var n) ? n : throw Invalid(name, "an unsigned 64-bit integer");

    /// <summary>An RFC 3339 timestamp field.</summary>
    public static DateTimeOffset Timestamp(JsonElement value, string name)
        => ParseTimestamp(String(value, name)) ?? throw Invalid(name, "an RFC 3339 timestamp");

    /// <summary>An array of strings.</summary>
    public static List<string> StringArray(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(name, "an array of strings");
        }

        return [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid(name, "an array of strings"))];
    }

    /// <summary>Parses an RFC 3339 timestamp (date, <c>T</c> or space, time, offset or <c>Z</c>).</summary>
    public static DateTimeOffset? ParseTimestamp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length < 20 || !char.IsAsciiDigit(text[0]))
        {
            return null;
        }

        var last = text[^1];
        var hasZone = last is 'Z' or 'z' || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasZone)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
    }

    /// <summary>The <c>Deployment-Timestamp</c> header (manager.md §4).</summary>
    /// <exception cref="ManagerException">400 when missing or not RFC 3339.</exception>
    public static DateTimeOffset DeploymentTimestamp(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue("Deployment-Timestamp", out var values) || values.Count == 0)
        {
            throw ManagerException.BadRequest("missing request header \"deployment-timestamp\"");
        }

        return ParseTimestamp(values[0]) ?? throw ManagerException.BadRequest("invalid request header \"deployment-timestamp\": expected an RFC 3339 timestamp");
    }

    /// <summary>A JSON response.</summary>
    public static ContentHttpResult Result(JsonNode? body, int statusCode = StatusCodes.Status200OK)
        => TypedResults.Text(body?.ToJsonString() ?? "null", "application/json", null, statusCode);

    /// <summary>The spec's error body <c>{"error": …}</c>.</summary>
    public static ContentHttpResult Error(string message, int statusCode)
        => Result(new JsonObject { ["error"] = message }, statusCode);

    private static ManagerException Invalid(string name, string expected)
        => ManagerException.BadRequest($"invalid type for field `{name}`: expected {expected}");
}
