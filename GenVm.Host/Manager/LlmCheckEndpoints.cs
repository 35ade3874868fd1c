using System.Text.Json;
using System.Text.Json.Nodes;
using GenVm.Modules.Llm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Polly;

namespace GenVm.Host.Manager;

/// <summary>
/// <c>POST /llm/check</c> (manager.md §4): every (config, prompt) pair, config-major, through the provider's text call,
/// sequentially and without a timeout; failures are reported in the answer.
/// </summary>
internal static class LlmCheckEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapLlmCheckEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/llm/check", CheckAsync);
        return app;
    }

    private static async Task<ContentHttpResult> CheckAsync(HttpRequest request, IHttpClientFactory httpClients, Microsoft.Extensions.Options.IOptions<ManagerOptions> options, CancellationToken cancellationToken)
    {
        var body = await ManagerJson.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var configs = Array(ManagerJson.Required(body, "configs"), "configs").Select(ParseConfig).ToList();
        var prompts = Array(ManagerJson.Required(body, "test_prompts"), "test_prompts").Select(ParsePrompt).ToList();
        var http = httpClients.CreateClient(nameof(LlmCheckEndpoints));
        http.Timeout = Timeout.InfiniteTimeSpan;
        var results = new JsonArray();
        for (var c = 0; c < configs.Count; c++)
        {
            var config = configs[c];
            for (var p = 0; p < prompts.Count; p++)
            {
                string? response = null;
                string? error = null;
                try
                {
                    // The key may name a variable of the manager's current environment (see POST /env).
                    var key = ConfigTemplate.Expand(config.Key, options.Value.BuiltInVersion);
                    var host = ConfigTemplate.Expand(config.Host, options.Value.BuiltInVersion);
                    LlmProviderClient client = config.Provider switch
                    {
                        LlmProviderNames.OpenAiCompatible => new OpenAiCompatibleClient(http, ResiliencePipeline.Empty, host, key),
                        LlmProviderNames.Ollama => new OllamaClient(http, ResiliencePipeline.Empty, host, key),
                        LlmProviderNames.Anthropic => new AnthropicClient(http, ResiliencePipeline.Empty, host, key),
                        _ => new GoogleClient(http, ResiliencePipeline.Empty, host, key),
                    };
                    response = await client.TextAsync(prompts[p], ConfigTemplate.Expand(config.Model, options.Value.BuiltInVersion), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    error = e.Message;
                }

                results.Add(new JsonObject
                {
                    ["config_index"] = c,
                    ["prompt_index"] = p,
                    ["available"] = error is null,
                    ["error"] = error,
                    ["response"] = response,
                });
            }
        }

        return ManagerJson.Result(results);
    }

    private static JsonElement[] Array(JsonElement value, string name)
        => value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : throw ManagerException.BadRequest($"invalid type for field `{name}`: expected an array");

    private static (string Host, string Provider, string Model, string Key) ParseConfig(JsonElement config)
    {
        if (config.ValueKind != JsonValueKind.Object)
        {
            throw ManagerException.BadRequest("invalid type for field `configs`: expected an array of objects");
        }

        var provider = ManagerJson.String(ManagerJson.Required(config, "provider"), "provider");
        if (provider is not (LlmProviderNames.OpenAiCompatible or LlmProviderNames.Ollama or LlmProviderNames.Anthropic or LlmProviderNames.Google))
        {
            throw ManagerException.BadRequest($"unknown variant `{provider}`, expected one of `openai-compatible`, `ollama`, `anthropic`, `google`");
        }

        return (
            ManagerJson.String(ManagerJson.Required(config, "host"), "host"),
            provider,
            ManagerJson.String(ManagerJson.Required(config, "model"), "model"),
            ManagerJson.String(ManagerJson.Required(config, "key"), "key"));
    }

    private static LlmPrompt ParsePrompt(JsonElement prompt)
    {
        if (prompt.ValueKind != JsonValueKind.Object)
        {
            throw ManagerException.BadRequest("invalid type for field `test_prompts`: expected an array of objects");
        }

        var system = ManagerJson.Optional(prompt, "system_message") is { } s ? ManagerJson.String(s, "system_message") : null;
        var temperature = ManagerJson.Required(prompt, "temperature");
        if (temperature.ValueKind != JsonValueKind.Number)
        {
            throw ManagerException.BadRequest("invalid type for field `temperature`: expected a number");
        }

        var images = new List<ReadOnlyMemory<byte>>();
        foreach (var image in Array(ManagerJson.Required(prompt, "images"), "images"))
        {
            // manager.md §4: each image decodes as a byte buffer (an array of 0-255 integers).
            images.Add(Array(image, "images").Select(b => b.ValueKind == JsonValueKind.Number && b.TryGetByte(out var v) ? v : throw ManagerException.BadRequest("invalid type for field `images`: expected arrays of bytes")).ToArray());
        }

        return new LlmPrompt(
            system,
            ManagerJson.String(ManagerJson.Required(prompt, "user_message"), "user_message"),
            temperature.GetSingle(),
            images,
            ManagerJson.UInt32(ManagerJson.Required(prompt, "max_tokens"), "max_tokens"),
            ManagerJson.Bool(ManagerJson.Required(prompt, "use_max_completion_tokens"), "use_max_completion_tokens"));
    }
}
