using System.Text.Json.Nodes;
using Polly;

namespace GenVm.Modules.Llm;

/// <summary><c>ollama</c> (modules.md §3.5): <c>POST {H}/api/generate</c>, no content type, no auth (the key is unused).</summary>
internal sealed class OllamaClient(HttpClient http, ResiliencePipeline pipeline, string host, string key)
    : LlmProviderClient(http, pipeline, host, key)
{
    /// <inheritdoc/>
    public override Task<string> TextAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
        => GenerateAsync(prompt, model, json: false, cancellationToken);

    /// <inheritdoc/>
    protected override Task<string> JsonAsTextAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
        => GenerateAsync(prompt, model, json: true, cancellationToken);

    internal static JsonObject BuildBody(LlmPrompt prompt, string model, bool json)
    {
        var images = new JsonArray();
        foreach (var image in prompt.Images)
        {
            _ = MediaType(image); // same sniffing rule as the other dialects
            images.Add(Convert.ToBase64String(image.Span));
        }

        var body = new JsonObject
        {
            ["model"] = model,
            ["prompt"] = prompt.UserMessage,
            ["stream"] = false,
            ["options"] = new JsonObject { ["temperature"] = Temperature(prompt), ["num_predict"] = prompt.MaxTokens },
            ["images"] = images,
        };
        if (prompt.SystemMessage is { } system)
        {
            body["system"] = system;
        }

        if (json)
        {
            body["format"] = "json";
        }

        return body;
    }

    private async Task<string> GenerateAsync(LlmPrompt prompt, string model, bool json, CancellationToken cancellationToken)
    {
        var response = await PostAsync("/api/generate", BuildBody(prompt, model, json), jsonContentType: false, [], cancellationToken)
            .ConfigureAwait(false);
        return StringField(response, "response");
    }

    /// <inheritdoc/>
    protected override void RecordUsage(System.Text.Json.JsonElement response)
        => LlmUsage.RecordFrom(response, null, "prompt_eval_count", "eval_count");
}
