using System.Text.Json.Nodes;
using Polly;

namespace GenVm.Modules.Llm;

/// <summary><c>openai-compatible</c> (modules.md §3.5): <c>POST {H}/v1/chat/completions</c> with a bearer key.</summary>
internal sealed class OpenAiCompatibleClient(HttpClient http, ResiliencePipeline pipeline, string host, string key)
    : LlmProviderClient(http, pipeline, host, key)
{
    /// <inheritdoc/>
    public override Task<string> TextAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
        => CompleteAsync(prompt, model, json: false, cancellationToken);

    /// <inheritdoc/>
    protected override Task<string> JsonAsTextAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
        => CompleteAsync(prompt, model, json: true, cancellationToken);

    internal static JsonObject BuildBody(LlmPrompt prompt, string model, bool json)
    {
        var messages = new JsonArray();
        if (prompt.SystemMessage is { } system)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }

        var content = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = prompt.UserMessage } };
        foreach (var image in prompt.Images)
        {
            content.Add(new JsonObject
            {
                ["type"] = "image_url",
                ["image_url"] = new JsonObject { ["url"] = $"data:{MediaType(image)};base64,{Convert.ToBase64String(image.Span)}" },
            });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = content });
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = messages,
            ["stream"] = false,
            ["temperature"] = Temperature(prompt),
            [prompt.UseMaxCompletionTokens ? "max_completion_tokens" : "max_tokens"] = prompt.MaxTokens,
        };
        if (json)
        {
            body["response_format"] = new JsonObject { ["type"] = "json_object" };
        }

        return body;
    }

    /// <inheritdoc/>
    protected override void RecordUsage(System.Text.Json.JsonElement response)
        => LlmUsage.RecordFrom(response, "usage", "prompt_tokens", "completion_tokens");

    private async Task<string> CompleteAsync(LlmPrompt prompt, string model, bool json, CancellationToken cancellationToken)
    {
        var response = await PostAsync(
            "/v1/chat/completions",
            BuildBody(prompt, model, json),
            jsonContentType: true,
            [new("Authorization", "Bearer " + Key)],
            cancellationToken).ConfigureAwait(false);
        return StringField(response, "choices", 0, "message", "content");
    }
}
