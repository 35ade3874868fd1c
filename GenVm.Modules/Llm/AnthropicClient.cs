using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;

namespace GenVm.Modules.Llm;

/// <summary>
/// <c>anthropic</c> (modules.md §3.5): <c>POST {H}/v1/messages</c> with <c>x-api-key</c>. JSON and bool calls force the
/// <c>json_out</c> tool and read its input object instead of parsing text.
/// </summary>
internal sealed class AnthropicClient(HttpClient http, ResiliencePipeline pipeline, string host, string key)
    : LlmProviderClient(http, pipeline, host, key)
{
    private const string ToolName = "json_out";

    /// <inheritdoc/>
    public override async Task<string> TextAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
        => StringField(await SendAsync(BuildTextBody(prompt, model), cancellationToken).ConfigureAwait(false), "content", 0, "text");

    /// <inheritdoc/>
    public override async Task<JsonElement> JsonAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
    {
        var response = await SendAsync(BuildJsonBody(prompt, model), cancellationToken).ConfigureAwait(false);
        var input = Field(response, "content", 0, "input");
        return input.ValueKind == JsonValueKind.Object ? input : throw MissingField(response);
    }

    /// <inheritdoc/>
    public override async Task<bool?> BoolAsync(LlmPrompt prompt, string model, CancellationToken cancellationToken)
    {
        var response = await SendAsync(BuildBoolBody(prompt, model), cancellationToken).ConfigureAwait(false);
        var result = Field(response, "content", 0, "input", "result");
        return result.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw MissingField(response),
        };
    }

    internal static JsonObject BuildTextBody(LlmPrompt prompt, string model)
    {
        var content = new JsonArray();
        foreach (var image in prompt.Images)
        {
            content.Add(new JsonObject
            {
                ["type"] = "image",
                ["source"] = new JsonObject
                {
                    ["type"] = "base64",
                    ["media_type"] = MediaType(image),
                    ["data"] = Convert.ToBase64String(image.Span),
                },
            });
        }

        content.Add(new JsonObject { ["type"] = "text", ["text"] = prompt.UserMessage });
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = content } },
            ["max_tokens"] = prompt.MaxTokens,
            ["stream"] = false,
            ["temperature"] = Temperature(prompt),
        };
        AddSystem(body, prompt);
        return body;
    }

    internal static JsonObject BuildJsonBody(LlmPrompt prompt, string model)
    {
        var body = BuildTextBody(prompt, model);
        var anyType = new JsonObject { ["type"] = new JsonArray("object", "null", "array", "number", "string") };
        AddTool(body, new JsonObject { ["type"] = "object", ["patternProperties"] = new JsonObject { [""] = anyType } });
        return body;
    }

    internal static JsonObject BuildBoolBody(LlmPrompt prompt, string model)
    {
        // The bool call drops images and sends the user message as a plain string, with a fixed token bound (§3.5).
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = prompt.UserMessage } },
            ["max_tokens"] = 200,
            ["stream"] = false,
            ["temperature"] = Temperature(prompt),
        };
        AddSystem(body, prompt);
        AddTool(body, new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["result"] = new JsonObject { ["type"] = "boolean" },
                ["reason"] = new JsonObject { ["type"] = "string" },
            },
            ["required"] = new JsonArray("result"),
        });
        return body;
    }

    private static void AddSystem(JsonObject body, LlmPrompt prompt)
    {
        if (prompt.SystemMessage is { } system)
        {
            body["system"] = system;
        }
    }

    private static void AddTool(JsonObject body, JsonObject inputSchema)
    {
        body["tools"] = new JsonArray
        {
            new JsonObject { ["name"] = ToolName, ["description"] = "Output a valid json object", ["input_schema"] = inputSchema },
        };
        body["tool_choice"] = new JsonObject { ["type"] = "tool", ["name"] = ToolName };
    }

    private Task<JsonElement> SendAsync(JsonObject body, CancellationToken cancellationToken)
        => PostAsync(
            "/v1/messages",
            body,
            jsonContentType: true,
            [new("x-api-key", Key), new("anthropic-version", "2023-06-01")],
            cancellationToken);

    /// <inheritdoc/>
    protected override void RecordUsage(System.Text.Json.JsonElement response)
        => LlmUsage.RecordFrom(response, "usage", "input_tokens", "output_tokens");
}
