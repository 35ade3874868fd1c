using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenVm.Core.Calldata;
using Polly;
using Polly.Timeout;

namespace GenVm.Modules.Llm;

/// <summary>
/// One provider dialect bound to one backend (modules.md §3.4, §3.5). The generic JSON call is "JSON-as-text, then
/// sanitize, repair, parse" and the generic bool call reads <c>result</c>; dialects override what they do
/// differently. Every error text goes through <see cref="Redact"/> so the key never leaves this object.
/// </summary>
internal abstract class LlmProviderClient
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;

    protected LlmProviderClient(HttpClient http, ResiliencePipeline pipeline, string host, string key)
    {
        _http = http;
        _pipeline = pipeline;
        Host = host.TrimEnd('/');
        Key = key;
    }

    /// <summary>The backend base URL without a trailing slash.</summary>
    protected string Host { get; }

    /// <summary>The API key; only ever written into a request.</summary>
    protected string Key { get; }

    /// <summary>Text call: the answer string.</summary>
    public abstract Task<string> TextAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken);

    /// <summary>JSON call: the answer object (modules.md §3.4 generic logic unless overridden).</summary>
    public virtual async Task<JsonElement> JsonAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
        => LlmJson.ParseObject(await JsonAsTextAsync(prompt, model, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Bool call: <c>result</c> of the JSON answer, or null when it is missing or not a bool (the caller logs an error
    /// and answers false, modules.md §3.4).
    /// </summary>
    public virtual async Task<bool?> BoolAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
    {
        var answer = await JsonAsync(prompt, model, cancellationToken).ConfigureAwait(false);
        return answer.TryGetProperty("result", out var result)
            ? result.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null }
            : null;
    }

    /// <summary>The text a JSON call parses; by default the text call.</summary>
    protected virtual Task<string> JsonAsTextAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
        => TextAsync(prompt, model, cancellationToken);

    /// <summary>Replaces the key in any text that might leave the module (errors, logs).</summary>
    public string Redact(string text)
        => Key.Length == 0
            ? text
            : text.Replace(Key, "***", StringComparison.Ordinal).Replace(Uri.EscapeDataString(Key), "***", StringComparison.Ordinal);

    /// <summary>The media type of an image; an unrecognised one is a fatal module error (modules.md §3.4).</summary>
    protected static string MediaType(ReadOnlyMemory<byte> image)
        => LlmImageKind.Sniff(image.Span)
            ?? throw new LlmProviderException("INVALID_IMAGE", CalldataValue.FromMap(Enumerable.Empty<KeyValuePair<string, CalldataValue>>()), null);

    /// <summary>
    /// POSTs a JSON body and returns the parsed response of a 200 (modules.md §3.4 "HTTP helper"): the body is
    /// parsed before the status is checked; failures become module errors.
    /// </summary>
    /// <param name="path">Path (and query) appended to the host.</param>
    /// <param name="body">The request body.</param>
    /// <param name="jsonContentType">Whether to send <c>Content-Type: application/json</c> (ollama sends none).</param>
    /// <param name="headers">Extra request headers (may carry the key).</param>
    /// <param name="cancellationToken">Caller cancellation.</param>
    protected async Task<JsonElement> PostAsync(
        string path, JsonObject body, bool jsonContentType, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var url = Host + path;
        var displayUrl = Redact(url);
        var payload = Encoding.UTF8.GetBytes(body.ToJsonString());
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    // A fresh message per attempt: a request message cannot be sent twice.
                    using var request = new HttpRequestMessage(HttpMethod.Post, url);
                    request.Content = new ByteArrayContent(payload);
                    if (jsonContentType)
                    {
                        request.Content.Headers.ContentType = new("application/json");
                    }

                    foreach (var (name, value) in headers)
                    {
                        request.Headers.TryAddWithoutValidation(name, value);
                    }

                    var r = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                    return r;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new LlmProviderException("SENDING_REQUEST", CalldataValue.FromMap(("rust_error", Redact(e.Message))), null);
        }
        catch (TimeoutRejectedException e)
        {
            throw new LlmProviderException(
                "SENDING_REQUEST",
                CalldataValue.FromMap(("rust_error", $"attempt timed out after {e.Timeout.TotalMilliseconds} ms")),
                null);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var responseHeaders = CalldataValue.FromMap(response.Headers.Concat(response.Content.Headers)
                .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
                .Select(g => new KeyValuePair<string, CalldataValue>(
                    g.Key, CalldataValue.FromBytes(Encoding.UTF8.GetBytes(string.Join(", ", g.SelectMany(h => h.Value)))))));
            JsonElement parsed;
            try
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                using var doc = JsonDocument.Parse(bytes);
                parsed = doc.RootElement.Clone();
            }
            catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
            {
                throw new LlmProviderException(
                    "READING_BODY",
                    CalldataValue.FromMap(("headers", responseHeaders), ("rust_error", Redact(e.Message)), ("status", status), ("url", displayUrl)),
                    status);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new LlmProviderException(
                    "STATUS_NOT_OK",
                    CalldataValue.FromMap(
                        ("body", LlmJson.ToCalldataLenient(parsed)), ("headers", responseHeaders), ("status", status), ("url", displayUrl)),
                    status);
            }

            RecordUsage(parsed);
            return parsed;
        }
    }

    /// <summary>Records the token usage of a 200 answer into <see cref="LlmUsage.Current"/> (each dialect knows its fields).</summary>
    protected abstract void RecordUsage(JsonElement response);

    /// <summary>Walks a path of property names and indexes; a miss is <c>can't get response field</c> (fatal).</summary>
    protected JsonElement Field(JsonElement response, params ReadOnlySpan<object> path)
    {
        var current = response;
        foreach (var step in path)
        {
            var found = step switch
            {
                string name when current.ValueKind == JsonValueKind.Object && current.TryGetProperty(name, out var next) => (true, next),
                int index when current.ValueKind == JsonValueKind.Array && index < current.GetArrayLength() => (true, current[index]),
                _ => (false, default(JsonElement)),
            };
            if (!found.Item1)
            {
                throw MissingField(response);
            }

            current = found.Item2;
        }

        return current;
    }

    /// <summary>A string field (see <see cref="Field"/>).</summary>
    protected string StringField(JsonElement response, params ReadOnlySpan<object> path)
    {
        var value = Field(response, path);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw MissingField(response);
    }

    /// <summary>The fatal error for a 200 answer without the expected field (modules.md §3.4).</summary>
    protected LlmAnswerFormatException MissingField(JsonElement response)
        => new(Redact($"can't get response field {response.GetRawText()}"));

    /// <summary>The temperature as JSON: shortest round-trip of the f32 (docs/decisions.md "LLM: temperature").</summary>
    protected static JsonNode Temperature(LlmPrompt prompt) => JsonValue.Create(prompt.Temperature);
}
