using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;

namespace GenVm.Modules.Llm;

/// <summary>
/// <c>google</c> (modules.md §3.5): <c>POST {H}/v1beta/models/{M}:generateContent?key={K}</c>. The key travels in the
/// query, so every URL that reaches an error goes through <see cref="LlmProviderClient.Redact"/>.
/// </summary>
internal sealed class GoogleClient(HttpClient http, ResiliencePipeline pipeline, string host, string key)
    : LlmProviderClient(http, pipeline, host, key)
{
    /// <inheritdoc/>
    public override Task<string> TextAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
        => GenerateAsync(prompt, model, json: false, cancellationToken);

    /// <inheritdoc/>
    protected override Task<string> JsonAsTextAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
        => GenerateAsync(prompt, model, json: true, cancellationToken);

    internal static JsonObject BuildBody(LlmPrompt prompt, bool json)
    {
        // Images come before the text (§3.5).
        var parts = new JsonArray();
        foreach (var image in prompt.Images)
        {
            parts.Add(new JsonObject
            {
                ["inline_data"] = new JsonObject { ["mime_type"] = MediaType(image), ["data"] = Convert.ToBase64String(image.Span) },
            });
        }

        parts.Add(new JsonObject { ["text"] = prompt.UserMessage });
        var body = new JsonObject
        {
            ["generationConfig"] = new JsonObject
            {
                ["responseMimeType"] = json ? "application/json" : "text/plain",
                ["temperature"] = Temperature(prompt),
                ["maxOutputTokens"] = prompt.MaxTokens,
            },
            ["contents"] = new JsonArray { new JsonObject { ["parts"] = parts } },
        };
        if (prompt.SystemMessage is { } system)
        {
            body["system_instruction"] = new JsonObject { ["parts"] = new JsonArray { new JsonObject { ["text"] = system } } };
        }

        return body;
    }

    private async Task<string> GenerateAsync(LlmPrompt prompt, string model, bool json, CancellationToken cancellationToken)
    {
        var response = await PostAsync(
            $"/v1beta/models/{Uri.EscapeDataString(model)}:generateContent?key={Uri.EscapeDataString(Key)}",
            BuildBody(prompt, json),
            jsonContentType: true,
            [],
            cancellationToken).ConfigureAwait(false);
        var candidate = Field(response, "candidates", 0);
        if (candidate.TryGetProperty("content", out var content)
            && content.TryGetProperty("parts", out var parts)
            && parts.ValueKind == JsonValueKind.Array
            && parts.GetArrayLength() > 0
            && parts[0].TryGetProperty("text", out var text)
            && text.ValueKind == JsonValueKind.String)
        {
            return text.GetString()!;
        }

        // A cut-off answer without text counts as empty (§3.5).
        if (candidate.TryGetProperty("finishReason", out var reason) && reason.ValueKind == JsonValueKind.String
            && reason.GetString() == "MAX_TOKENS")
        {
            return json ? "{}" : "";
        }

        throw MissingField(response);
    }

    /// <inheritdoc/>
    protected override void RecordUsage(System.Text.Json.JsonElement response)
        => LlmUsage.RecordFrom(response, "usageMetadata", "promptTokenCount", "candidatesTokenCount");
}
