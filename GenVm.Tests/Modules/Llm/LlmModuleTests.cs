using System.Text.Json.Nodes;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenVm.Tests.Modules.Llm;

/// <summary>Drives the in-process LLM module against real local fake providers (modules.md §3.5, §3.7).</summary>
[TestFixture]
[Category("Network")]
public sealed class LlmModuleTests
{
    private const string Secret = "sk-test-SECRET-7f3a9c";

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
    private static readonly byte[] Jfif = [0xFF, 0xD8, 0xFF, 0xE0, 9, 9];
    private static readonly byte[] Exif = [0xFF, 0xD8, 0xFF, 0xE1, 9, 9];

    private static LlmPromptPayload Text(string prompt, params byte[][] images)
        => new(prompt, images.Select(i => (ReadOnlyMemory<byte>)i).ToList(), LlmResponseFormat.Text);

    private static LlmPromptPayload Json(string prompt, params byte[][] images)
        => new(prompt, images.Select(i => (ReadOnlyMemory<byte>)i).ToList(), LlmResponseFormat.Json);

    private static Dictionary<string, string?> Backend(
        string name, string provider, string host, string model = "m1", bool json = true, bool image = true, string key = Secret)
        => new()
        {
            [$"backends:{name}:provider"] = provider,
            [$"backends:{name}:host"] = host,
            [$"backends:{name}:key"] = key,
            [$"backends:{name}:models:{model}:supports_json"] = json ? "true" : "false",
            [$"backends:{name}:models:{model}:supports_image"] = image ? "true" : "false",
        };

    private static ServiceProvider Build(CapturingLoggerProvider? logs, params Dictionary<string, string?>[] parts)
    {
        var config = new Dictionary<string, string?> { ["connect_retry_delay"] = "00:00:00.010" };
        foreach (var part in parts)
        {
            foreach (var (k, v) in part)
            {
                config[k] = v;
            }
        }

        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        services.AddLlmModule(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    private static Task OpenAiAnswer(HttpContext context, string content)
        => FakeProviderServer.AnswerAsync(context, 200, new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["choices"] = new JsonArray
            {
                new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                    ["finish_reason"] = "stop",
                },
            },
            ["usage"] = new JsonObject { ["prompt_tokens"] = 5, ["completion_tokens"] = 2 },
        });

    private static Task OpenAiError(HttpContext context, int status)
        => FakeProviderServer.AnswerAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = "nope", ["type"] = "invalid_request_error" },
        });

    [Test]
    public async Task PromptAsync_OpenAiText_SendsChatCompletionAndReturnsContent()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "hello there"));
        await using var sp = Build(null, Backend("openai", "openai-compatible", server.BaseUrl, "gpt-4o"));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("say hi"), 0, CancellationToken.None);

        Assert.That(answer.IsOk, Is.True);
        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("hello there")));
        Assert.That(answer.Value.ConsumedGen, Is.Zero);
        var request = server.Requests.Single();
        Assert.That(request.Method, Is.EqualTo("POST"));
        Assert.That(request.Path, Is.EqualTo("/v1/chat/completions"));
        Assert.That(request.Headers["authorization"], Is.EqualTo("Bearer " + Secret));
        Assert.That(request.Headers["content-type"], Does.StartWith("application/json"));
        var body = request.Body!;
        Assert.That(body["model"]!.GetValue<string>(), Is.EqualTo("gpt-4o"));
        Assert.That(body["stream"]!.GetValue<bool>(), Is.False);
        Assert.That(body["max_tokens"]!.GetValue<int>(), Is.EqualTo(1000));
        Assert.That(body.ContainsKey("max_completion_tokens"), Is.False);
        Assert.That(body["temperature"]!.ToJsonString(), Is.EqualTo("0.7"));
        Assert.That(body.ContainsKey("response_format"), Is.False);
        var messages = body["messages"]!.AsArray();
        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0]!["role"]!.GetValue<string>(), Is.EqualTo("user"));
        Assert.That(messages[0]!["content"]!.ToJsonString(), Is.EqualTo("""[{"type":"text","text":"say hi"}]"""));
    }

    [Test]
    public async Task PromptAsync_OpenAiJsonWithImages_SendsJsonModeAndRepairsTruncatedAnswer()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "```json\n{\"a\": 1, \"b\": [tr"));
        await using var sp = Build(null, Backend("openai", "openai-compatible", server.BaseUrl, "gpt-4o"));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Json("give json", Png, Jfif), 0, CancellationToken.None);

        Assert.That(answer.IsOk, Is.True);
        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromMap(
            ("a", 1), ("b", CalldataValue.FromArray(CalldataValue.True)))));
        var body = server.Requests.Single().Body!;
        Assert.That(body["response_format"]!.ToJsonString(), Is.EqualTo("""{"type":"json_object"}"""));
        var messages = body["messages"]!.AsArray();
        Assert.That(messages[0]!.ToJsonString(), Is.EqualTo("""{"role":"system","content":"respond with a valid json object"}"""));
        var content = messages[1]!["content"]!.AsArray();
        Assert.That(content[0]!["text"]!.GetValue<string>(), Is.EqualTo("give json"));
        Assert.That(content[1]!["image_url"]!["url"]!.GetValue<string>(), Is.EqualTo("data:image/png;base64," + Convert.ToBase64String(Png)));
        Assert.That(content[2]!["image_url"]!["url"]!.GetValue<string>(), Is.EqualTo("data:image/jpeg;base64," + Convert.ToBase64String(Jfif)));
    }

    [Test]
    public async Task PromptAsync_UseMaxCompletionTokens_SendsMaxCompletionTokens()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "ok"));
        var backend = Backend("openai", "openai-compatible", server.BaseUrl, "o1");
        backend["backends:openai:models:o1:use_max_completion_tokens"] = "true";
        await using var sp = Build(null, backend);

        await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x"), 0, CancellationToken.None);

        var body = server.Requests.Single().Body!;
        Assert.That(body["max_completion_tokens"]!.GetValue<int>(), Is.EqualTo(1000));
        Assert.That(body.ContainsKey("max_tokens"), Is.False);
    }

    [Test]
    public async Task PromptAsync_AnthropicTextAndJson_UsesMessagesApiAndForcedTool()
    {
        await using var server = await FakeProviderServer.StartAsync((r, c) =>
            FakeProviderServer.AnswerAsync(c, 200, new JsonObject
            {
                ["id"] = "msg_1",
                ["type"] = "message",
                ["role"] = "assistant",
                ["content"] = r.Body!.ContainsKey("tools")
                    ? new JsonArray { new JsonObject { ["type"] = "tool_use", ["id"] = "t1", ["name"] = "json_out", ["input"] = new JsonObject { ["x"] = 5 } } }
                    : new JsonArray { new JsonObject { ["type"] = "text", ["text"] = "claude says" } },
                ["stop_reason"] = "end_turn",
            }));
        await using var sp = Build(null, Backend("anthropic", "anthropic", server.BaseUrl, "claude-haiku"));
        var module = sp.GetRequiredService<ILlmModule>();

        var text = await module.PromptAsync(Text("hi", Png), 0, CancellationToken.None);
        var json = await module.PromptAsync(Json("obj"), 0, CancellationToken.None);

        Assert.That(text.Value!.Data, Is.EqualTo(CalldataValue.FromString("claude says")));
        Assert.That(json.Value!.Data, Is.EqualTo(CalldataValue.FromMap(("x", 5))));
        var requests = server.Requests.ToArray();
        Assert.That(requests.Select(r => r.Path), Is.All.EqualTo("/v1/messages"));
        Assert.That(requests[0].Headers["x-api-key"], Is.EqualTo(Secret));
        Assert.That(requests[0].Headers["anthropic-version"], Is.EqualTo("2023-06-01"));
        Assert.That(requests[0].Headers.ContainsKey("authorization"), Is.False);
        var textBody = requests[0].Body!;
        Assert.That(textBody["max_tokens"]!.GetValue<int>(), Is.EqualTo(1000));
        Assert.That(textBody.ContainsKey("system"), Is.False);
        var content = textBody["messages"]![0]!["content"]!.AsArray();
        Assert.That(content[0]!.ToJsonString(), Is.EqualTo(
            $$$"""{"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{Convert.ToBase64String(Png)}}}"}}"""));
        Assert.That(content[1]!.ToJsonString(), Is.EqualTo("""{"type":"text","text":"hi"}"""));
        var jsonBody = requests[1].Body!;
        Assert.That(jsonBody["system"]!.GetValue<string>(), Is.EqualTo("respond with a valid json object"));
        Assert.That(jsonBody["tool_choice"]!.ToJsonString(), Is.EqualTo("""{"type":"tool","name":"json_out"}"""));
        Assert.That(jsonBody["tools"]![0]!.ToJsonString(), Is.EqualTo(
            """{"name":"json_out","description":"Output a valid json object","input_schema":{"type":"object","patternProperties":{"":{"type":["object","null","array","number","string"]}}}}"""));
    }

    [Test]
    public async Task PromptTemplateAsync_AnthropicComparative_SendsBoolToolAndReadsResult()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) =>
            FakeProviderServer.AnswerAsync(c, 200, new JsonObject
            {
                ["content"] = new JsonArray
                {
                    new JsonObject { ["type"] = "tool_use", ["name"] = "json_out", ["input"] = new JsonObject { ["reason"] = "same", ["result"] = true } },
                },
            }));
        await using var sp = Build(null, Backend("anthropic", "anthropic", server.BaseUrl, "claude"));

        var answer = await sp.GetRequiredService<ILlmModule>()
            .PromptTemplateAsync(new EqComparativeTemplate("LEADER-A", "VALIDATOR-B", "PRINCIPLE-C"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.True));
        var body = server.Requests.Single().Body!;
        Assert.That(body["max_tokens"]!.GetValue<int>(), Is.EqualTo(200));
        var user = body["messages"]![0]!["content"]!.GetValue<string>();
        Assert.That(user, Does.Contain("LEADER-A").And.Contain("VALIDATOR-B").And.Contain("PRINCIPLE-C").And.Not.Contain("#{"));
        Assert.That(body["system"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(body["tools"]![0]!["input_schema"]!.ToJsonString(), Is.EqualTo(
            """{"type":"object","properties":{"result":{"type":"boolean"},"reason":{"type":"string"}},"required":["result"]}"""));
    }

    [Test]
    public async Task PromptAsync_OllamaJson_SendsGenerateWithoutAuthOrContentType()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) =>
            FakeProviderServer.AnswerAsync(c, 200, new JsonObject { ["model"] = "llama3", ["response"] = "{\"k\": \"v\"}", ["done"] = true }));
        await using var sp = Build(null, Backend("ollama", "ollama", server.BaseUrl, "llama3"));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Json("q", Png), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromMap(("k", "v"))));
        var request = server.Requests.Single();
        Assert.That(request.Path, Is.EqualTo("/api/generate"));
        Assert.That(request.Headers.ContainsKey("authorization"), Is.False);
        Assert.That(request.Headers.ContainsKey("content-type"), Is.False);
        Assert.That(request.Headers.Values, Has.None.Contains(Secret));
        var body = request.Body!;
        Assert.That(body["prompt"]!.GetValue<string>(), Is.EqualTo("q"));
        Assert.That(body["system"]!.GetValue<string>(), Is.EqualTo("respond with a valid json object"));
        Assert.That(body["format"]!.GetValue<string>(), Is.EqualTo("json"));
        Assert.That(body["stream"]!.GetValue<bool>(), Is.False);
        Assert.That(body["options"]!.ToJsonString(), Is.EqualTo("""{"temperature":0.7,"num_predict":1000}"""));
        Assert.That(body["images"]!.ToJsonString(), Is.EqualTo($"[\"{Convert.ToBase64String(Png)}\"]"));
    }

    [Test]
    public async Task PromptAsync_OllamaTextWithoutImages_SendsEmptyImagesAndNoSystem()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) =>
            FakeProviderServer.AnswerAsync(c, 200, new JsonObject { ["response"] = "plain", ["done"] = true }));
        await using var sp = Build(null, Backend("ollama", "ollama", server.BaseUrl, "llama3"));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("q"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("plain")));
        var body = server.Requests.Single().Body!;
        Assert.That(body["images"]!.ToJsonString(), Is.EqualTo("[]"));
        Assert.That(body.ContainsKey("system"), Is.False);
        Assert.That(body.ContainsKey("format"), Is.False);
    }

    [Test]
    public async Task PromptAsync_GoogleJsonWithImage_SendsGenerateContentWithImagesFirst()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) =>
            FakeProviderServer.AnswerAsync(c, 200, new JsonObject
            {
                ["candidates"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["content"] = new JsonObject { ["parts"] = new JsonArray { new JsonObject { ["text"] = "{\"g\": [1, 2]}" } }, ["role"] = "model" },
                        ["finishReason"] = "STOP",
                    },
                },
            }));
        await using var sp = Build(null, Backend("google", "google", server.BaseUrl, "gemini-2.5-flash"));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Json("g?", Jfif), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromMap(("g", CalldataValue.FromArray(1, 2)))));
        var request = server.Requests.Single();
        Assert.That(request.Path, Is.EqualTo("/v1beta/models/gemini-2.5-flash:generateContent"));
        Assert.That(request.Query, Is.EqualTo("?key=" + Secret));
        Assert.That(request.Headers["content-type"], Does.StartWith("application/json"));
        var body = request.Body!;
        Assert.That(body["generationConfig"]!.ToJsonString(), Is.EqualTo(
            """{"responseMimeType":"application/json","temperature":0.7,"maxOutputTokens":1000}"""));
        Assert.That(body["system_instruction"]!.ToJsonString(), Is.EqualTo("""{"parts":[{"text":"respond with a valid json object"}]}"""));
        Assert.That(body["contents"]!.ToJsonString(), Is.EqualTo(
            $$$"""[{"parts":[{"inline_data":{"mime_type":"image/jpeg","data":"{{{Convert.ToBase64String(Jfif)}}}"}},{"text":"g?"}]}]"""));
    }

    [Test]
    public async Task PromptAsync_GoogleMaxTokensWithoutText_ReturnsEmptyString()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) =>
            FakeProviderServer.AnswerAsync(c, 200, new JsonObject
            {
                ["candidates"] = new JsonArray { new JsonObject { ["content"] = new JsonObject { ["role"] = "model" }, ["finishReason"] = "MAX_TOKENS" } },
            }));
        await using var sp = Build(null, Backend("google", "google", server.BaseUrl, "gemini"));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("long"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("")));
        Assert.That(server.Requests.Single().Body!["generationConfig"]!["responseMimeType"]!.GetValue<string>(), Is.EqualTo("text/plain"));
    }

    [Test]
    public async Task PromptAsync_FirstBackend503_FailsOverToHealthyBackend()
    {
        await using var overloaded = await FakeProviderServer.StartAsync((_, c) => OpenAiError(c, 503));
        await using var healthy = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "from healthy"));
        var logs = new CapturingLoggerProvider();
        await using var sp = Build(
            logs,
            Backend("a_overloaded", "openai-compatible", overloaded.BaseUrl),
            Backend("b_healthy", "openai-compatible", healthy.BaseUrl));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("from healthy")));
        Assert.That(overloaded.Requests, Has.Count.EqualTo(1));
        Assert.That(healthy.Requests, Has.Count.EqualTo(1));
        Assert.That(logs.Lines, Has.Some.StartsWith("Warning 7003").And.Contains("a_overloaded"));
    }

    [Test]
    public async Task PromptAsync_Backend400_IsNotRetriedAndNextBackendAnswers()
    {
        await using var bad = await FakeProviderServer.StartAsync((_, c) => OpenAiError(c, 400));
        await using var good = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "good"));
        var logs = new CapturingLoggerProvider();
        await using var sp = Build(
            logs,
            Backend("a_bad", "openai-compatible", bad.BaseUrl),
            Backend("b_good", "openai-compatible", good.BaseUrl));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("good")));
        Assert.That(bad.Requests, Has.Count.EqualTo(1));
        Assert.That(logs.Lines, Has.Some.StartsWith("Error 7004").And.Contains("a_bad"));
    }

    [Test]
    public async Task PromptAsync_AllBackendsFail_ThrowsFatalNoProviderWithoutSecrets()
    {
        await using var first = await FakeProviderServer.StartAsync((_, c) => OpenAiError(c, 401));
        await using var second = await FakeProviderServer.StartAsync((_, c) => FakeProviderServer.AnswerAsync(c, 500, new JsonObject { ["error"] = "boom" }));
        var logs = new CapturingLoggerProvider();
        await using var sp = Build(
            logs,
            Backend("a_openai", "openai-compatible", first.BaseUrl),
            Backend("b_google", "google", second.BaseUrl));

        var e = await Assert.ThrowsAsync<ModuleFatalException>(
            () => sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x"), 0, CancellationToken.None));

        Assert.That(e!.Message, Does.StartWith("NO_PROVIDER_FOR_PROMPT").And.Contains("401").And.Contains("500"));
        Assert.That(e.ToString(), Does.Not.Contain(Secret));
        Assert.That(logs.Lines, Is.Not.Empty);
        Assert.That(logs.Lines, Has.None.Contains(Secret));
        Assert.That(first.Requests, Has.Count.EqualTo(1));
        Assert.That(second.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task PromptAsync_BackendExceedsAttemptTimeout_FailsOverToNextBackend()
    {
        await using var slow = await FakeProviderServer.StartAsync(async (_, c) =>
        {
            // Hold the request until the client gives up; the module's attempt timeout is what ends it.
            try
            {
                await Task.Delay(Timeout.Infinite, c.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });
        await using var fast = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "fast"));
        await using var sp = Build(
            null,
            new Dictionary<string, string?> { ["attempt_timeout"] = "00:00:00.300" },
            Backend("a_slow", "openai-compatible", slow.BaseUrl),
            Backend("b_fast", "openai-compatible", fast.BaseUrl));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("fast")));
        Assert.That(slow.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task PromptAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await using var slow = await FakeProviderServer.StartAsync(async (_, c) =>
        {
            await cts.CancelAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, c.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });
        await using var sp = Build(null, Backend("slow", "openai-compatible", slow.BaseUrl));

        Assert.That(
            () => sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x"), 0, cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task PromptAsync_MissingResponseField_IsFatalWithoutFailover()
    {
        await using var broken = await FakeProviderServer.StartAsync((_, c) => FakeProviderServer.AnswerAsync(c, 200, new JsonObject { ["choices"] = new JsonArray() }));
        await using var good = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "good"));
        await using var sp = Build(
            null,
            Backend("a_broken", "openai-compatible", broken.BaseUrl),
            Backend("b_good", "openai-compatible", good.BaseUrl));

        var e = await Assert.ThrowsAsync<ModuleFatalException>(
            () => sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x"), 0, CancellationToken.None));

        Assert.That(e!.Message, Does.StartWith("can't get response field"));
        Assert.That(good.Requests, Is.Empty);
    }

    [Test]
    public async Task PromptAsync_UnparsableJsonAnswer_IsFatal()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "[1, 2]"));
        await using var sp = Build(null, Backend("openai", "openai-compatible", server.BaseUrl));

        var e = await Assert.ThrowsAsync<ModuleFatalException>(
            () => sp.GetRequiredService<ILlmModule>().PromptAsync(Json("x"), 0, CancellationToken.None));

        Assert.That(e!.Message, Does.StartWith("parsing \""));
    }

    [Test]
    public async Task PromptAsync_GoogleKeyInUrl_NeverAppearsInErrorsOrLogs()
    {
        await using var server = await FakeProviderServer.StartAsync((r, c) =>
            FakeProviderServer.AnswerAsync(c, 403, new JsonObject { ["error"] = new JsonObject { ["message"] = "bad key " + r.Query } }));
        var logs = new CapturingLoggerProvider();
        await using var sp = Build(logs, Backend("google", "google", server.BaseUrl, "gemini"));

        var e = await Assert.ThrowsAsync<ModuleFatalException>(
            () => sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x"), 0, CancellationToken.None));

        Assert.That(server.Requests.Single().Query, Does.Contain(Secret));
        Assert.That(e!.ToString(), Does.Not.Contain(Secret));
        Assert.That(logs.Lines, Has.Some.Contains("403"));
        Assert.That(logs.Lines, Has.None.Contains(Secret));
    }

    [Test]
    public async Task PromptAsync_ConnectionRefused_IsRetriedThenFailsOver()
    {
        // A port that was open and is now closed: the connection is refused, so the prompt never left.
        string deadUrl;
        await using (var dead = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "unused")))
        {
            deadUrl = dead.BaseUrl;
        }

        await using var good = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "good"));
        var logs = new CapturingLoggerProvider();
        await using var sp = Build(
            logs,
            Backend("a_dead", "openai-compatible", deadUrl),
            Backend("b_good", "openai-compatible", good.BaseUrl));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("good")));
        Assert.That(logs.Lines, Has.Some.StartsWith("Error 7004").And.Contains("a_dead").And.Contains("SENDING_REQUEST"));
    }

    [Test]
    public async Task PromptAsync_ExifJpeg_ReturnsInvalidImageUserErrorWithoutRequest()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "unused"));
        await using var sp = Build(null, Backend("openai", "openai-compatible", server.BaseUrl));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x", Png, Exif), 0, CancellationToken.None);

        Assert.That(answer.IsOk, Is.False);
        Assert.That(answer.UserError, Is.EqualTo(CalldataValue.FromMap(
            ("causes", CalldataValue.FromArray(CalldataValue.FromString("INVALID_IMAGE"))),
            ("ctx", CalldataValue.FromMap(Enumerable.Empty<KeyValuePair<string, CalldataValue>>())))));
        Assert.That(server.Requests, Is.Empty);
    }

    [Test]
    public async Task PromptAsync_JsonWithImages_SkipsBackendsWithoutCapability()
    {
        await using var textOnly = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "{}"));
        await using var capable = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "{\"ok\": true}"));
        await using var sp = Build(
            null,
            Backend("a_noimage", "openai-compatible", textOnly.BaseUrl, json: true, image: false),
            Backend("b_both", "openai-compatible", capable.BaseUrl, json: true, image: true));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Json("x", Png), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromMap(("ok", CalldataValue.True))));
        Assert.That(textOnly.Requests, Is.Empty);
    }

    [Test]
    public async Task PromptTemplateAsync_OpenAiValidator_ParsesResultFromJsonMode()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "{\"reason\": \"fits\", \"result\": true}"));
        await using var sp = Build(null, Backend("openai", "openai-compatible", server.BaseUrl));

        var answer = await sp.GetRequiredService<ILlmModule>()
            .PromptTemplateAsync(new EqNonComparativeValidatorTemplate("TASK-1", "CRIT-2", "IN-3", "OUT-4"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.True));
        var body = server.Requests.Single().Body!;
        Assert.That(body["response_format"]!["type"]!.GetValue<string>(), Is.EqualTo("json_object"));
        var user = body["messages"]![1]!["content"]![0]!["text"]!.GetValue<string>();
        Assert.That(user, Does.Contain("TASK-1").And.Contain("CRIT-2").And.Contain("IN-3").And.Contain("OUT-4"));
    }

    [Test]
    public async Task PromptTemplateAsync_GoogleBoolWithoutResult_AnswersFalse()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) =>
            FakeProviderServer.AnswerAsync(c, 200, new JsonObject
            {
                ["candidates"] = new JsonArray
                {
                    new JsonObject { ["content"] = new JsonObject { ["parts"] = new JsonArray { new JsonObject { ["text"] = "{\"reason\": \"?\"}" } } } },
                },
            }));
        var logs = new CapturingLoggerProvider();
        await using var sp = Build(logs, Backend("google", "google", server.BaseUrl, "gemini"));

        var answer = await sp.GetRequiredService<ILlmModule>()
            .PromptTemplateAsync(new EqComparativeTemplate("a", "b", "c"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.False));
        Assert.That(logs.Lines, Has.Some.StartsWith("Error 7007"));
        Assert.That(server.Requests.Single().Body!["generationConfig"]!["responseMimeType"]!.GetValue<string>(), Is.EqualTo("application/json"));
    }

    [Test]
    public async Task PromptTemplateAsync_Leader_ReturnsTextFromTextOnlyBackend()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "done"));
        await using var sp = Build(null, Backend("openai", "openai-compatible", server.BaseUrl, json: false, image: false));
        var module = sp.GetRequiredService<ILlmModule>();

        var answer = await module.PromptTemplateAsync(new EqNonComparativeLeaderTemplate("t", "c", "i"), 0, CancellationToken.None);
        var stats = await module.GetStatsAsync(CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("done")));
        Assert.That(server.Requests.Single().Body!.ContainsKey("response_format"), Is.False);
        Assert.That(stats.AsMap()["failed_attempts"].AsNumber(), Is.EqualTo(System.Numerics.BigInteger.Zero));
        Assert.That(stats.AsMap()["prompts"].AsNumber(), Is.EqualTo(System.Numerics.BigInteger.One));
    }

    [Test]
    public async Task PromptAsync_FractionalNumberInJsonAnswer_IsFatal()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "{\"p\": 0.5}"));
        await using var sp = Build(null, Backend("openai", "openai-compatible", server.BaseUrl));

        await Assert.ThrowsAsync<ModuleFatalException>(
            () => sp.GetRequiredService<ILlmModule>().PromptAsync(Json("x"), 0, CancellationToken.None));
    }

    [Test]
    public async Task PromptAsync_Overloaded503HtmlBody_FailsOverAsReadingBody()
    {
        await using var html = await FakeProviderServer.StartAsync((_, c) =>
        {
            c.Response.StatusCode = 503;
            return c.Response.WriteAsync("<html>busy</html>");
        });
        await using var good = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "good"));
        var logs = new CapturingLoggerProvider();
        await using var sp = Build(
            logs,
            Backend("a_html", "openai-compatible", html.BaseUrl),
            Backend("b_good", "openai-compatible", good.BaseUrl));

        var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("x"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("good")));
        Assert.That(logs.Lines, Has.Some.StartsWith("Warning 7003").And.Contains("READING_BODY"));
    }

    [Test]
    public async Task PromptTemplateAsync_PercentInVariables_IsInsertedLiterally()
    {
        // modules.md §5.3 (reference case semi-stable/llm/percent_in_prompt): `%` in a value is not a gsub escape.
        await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "ok"));
        await using var sp = Build(null, Backend("openai", "openai-compatible", server.BaseUrl, json: false, image: false));

        await sp.GetRequiredService<ILlmModule>()
            .PromptTemplateAsync(new EqNonComparativeLeaderTemplate("take 100% of %1 and %%", "crit %s", "in"), 0, CancellationToken.None);

        var user = server.Requests.Single().Body!["messages"]!.AsArray().Last()!["content"]![0]!["text"]!.GetValue<string>();
        Assert.That(user, Does.Contain("<task>take 100% of %1 and %%</task>").And.Contain("<criteria>crit %s</criteria>"));
    }

    [Test]
    public async Task PromptAsync_CustomScriptFromLuaScriptPath_RunsInsteadOfDefault()
    {
        // modules.md §3.2 lua_script_path / lua_path: an operator script using the shipped libraries runs unchanged.
        var dir = Directory.CreateTempSubdirectory("genvm-llm-script");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "mine.lua"), """
                local llm = require("lib-llm")
                local helper = require("helper")
                function ExecPrompt(ctx, args, remaining_gen)
                  local mapped = llm.exec_prompt_transform(args)
                  mapped.prompt.user_message = helper.decorate(mapped.prompt.user_message)
                  for backend, data in pairs(llm.select_providers_for(mapped.prompt, mapped.format)) do
                    local model = next(data.models)
                    return llm.exec_prompt_in_provider(ctx, { provider = backend, model = model, prompt = mapped.prompt, format = mapped.format })
                  end
                end
                function ExecPromptTemplate(ctx, args, remaining_gen) error("unused") end
                """);
            File.WriteAllText(Path.Combine(dir.FullName, "helper.lua"), "return { decorate = function(s) return '[' .. s .. ']' end }");
            await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "custom"));
            await using var sp = Build(
                null,
                new Dictionary<string, string?>
                {
                    ["lua_script_path"] = Path.Combine(dir.FullName, "mine.lua"),
                    ["lua_path"] = Path.Combine(dir.FullName, "?.lua"),
                    ["vm_count"] = "2",
                },
                Backend("openai", "openai-compatible", server.BaseUrl));

            var answer = await sp.GetRequiredService<ILlmModule>().PromptAsync(Text("  raw\u200B text "), 0, CancellationToken.None);

            Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("custom")));
            var content = server.Requests.Single().Body!["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>();
            Assert.That(content, Is.EqualTo("[  raw\u200B text ]"), "no filters: this script does not call filter_text");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Build_NoUsableBackend_FailsStartupValidation()
    {
        var e = Assert.Throws<OptionsValidationException>(
            () => Build(null, Backend("nokey", "openai-compatible", "http://127.0.0.1:9", key: "")));

        Assert.That(e!.Message, Does.Contain("no valid backend detected"));
    }

    [Test]
    public void Build_UnknownProvider_FailsStartupValidation()
    {
        var e = Assert.Throws<OptionsValidationException>(
            () => Build(null, Backend("sim", "simulator", "http://127.0.0.1:9")));

        Assert.That(e!.Message, Does.Contain("backends.sim"));
    }
}
