using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace GenVm.Tests.Host.Manager;

[TestFixture]
public sealed class LlmCheckEndpointsTests
{
    [Test]
    public async Task Check_ConfigsTimesPrompts_ConfigMajorWithInBandFailures()
    {
        var key = "k-" + Guid.NewGuid().ToString("N");
        await using var provider = await StartFakeOpenAiAsync(key);
        await using var server = await ManagerServer.StartAsync();
        var env = "GENVM_TEST_LLM_KEY_" + Guid.NewGuid().ToString("N");
        await server.PostJsonAsync("/env", $$"""{"key":"{{env}}","value":"{{key}}"}""");
        var host = ManagerApplication(provider);
        var request = $$"""
            {"configs":[
               {"host":"{{host}}","provider":"openai-compatible","model":"m1","key":"${ENV[{{env}}]}"},
               {"host":"{{host}}","provider":"openai-compatible","model":"m1","key":"wrong"}],
             "test_prompts":[
               {"system_message":null,"user_message":"ping","temperature":0.5,"images":[],"max_tokens":10,"use_max_completion_tokens":false},
               {"system_message":"be brief","user_message":"hello","temperature":0,"images":[[137,80,78,71,13,10,26,10]],"max_tokens":5,"use_max_completion_tokens":true}]}
            """;

        var (status, body) = await server.PostJsonAsync("/llm/check", request);

        Assert.That(status, Is.EqualTo(200));
        var results = body!.AsArray();
        Assert.That(results.Select(r => (r!["config_index"]!.GetValue<int>(), r["prompt_index"]!.GetValue<int>())), Is.EqualTo(new[] { (0, 0), (0, 1), (1, 0), (1, 1) }));
        Assert.That(results[0]!.ToJsonString(), Is.EqualTo("""{"config_index":0,"prompt_index":0,"available":true,"error":null,"response":"pong: ping"}"""));
        Assert.That(results[1]!["response"]?.GetValue<string>(), Is.EqualTo("pong: hello"), results[1]!.ToJsonString());
        Assert.That(results[2]!["available"]!.GetValue<bool>(), Is.False);
        Assert.That(results[2]!["response"], Is.Null);
        Assert.That(results[2]!["error"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(results[2]!["error"]!.GetValue<string>(), Does.Not.Contain("wrong"));
        Environment.SetEnvironmentVariable(env, null);
    }

    [TestCase("""{"configs":[],"test_prompts":[]}""", 200, "[]")]
    [TestCase("""{"configs":[{"host":"h","provider":"simulator","model":"m","key":"k"}],"test_prompts":[]}""", 400, null)]
    [TestCase("""{"test_prompts":[]}""", 400, null)]
    [TestCase("""{"configs":[],"test_prompts":[{"user_message":"x"}]}""", 400, null)]
    public async Task Check_Shapes(string json, int expectedStatus, string? expectedBody)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostJsonAsync("/llm/check", json);

        Assert.That(status, Is.EqualTo(expectedStatus));
        if (expectedBody is not null)
        {
            Assert.That(body!.ToJsonString(), Is.EqualTo(expectedBody));
        }
        else
        {
            Assert.That(body!["error"]!.GetValue<string>(), Is.Not.Empty);
        }
    }

    private static string ManagerApplication(WebApplication provider) => GenVm.Host.Manager.ManagerApplication.BaseAddress(provider).ToString().TrimEnd('/');

    // A provider on 127.0.0.1 speaking the openai-compatible chat completions dialect (modules.md §3.5).
    private static async Task<WebApplication> StartFakeOpenAiAsync(string key)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpRequest request) =>
        {
            if (request.Headers.Authorization != "Bearer " + key)
            {
                return Results.Text("""{"error":"bad key"}""", "application/json", null, 401);
            }

            var body = (await JsonNode.ParseAsync(request.Body))!;
            var messages = body["messages"]!.AsArray();
            var user = messages[^1]!["content"]!;
            var text = user is JsonArray parts ? parts.First(p => p!["type"]!.GetValue<string>() == "text")!["text"]!.GetValue<string>() : user.GetValue<string>();
            var answer = new JsonObject { ["choices"] = new JsonArray(new JsonObject { ["message"] = new JsonObject { ["content"] = "pong: " + text } }) };
            return Results.Text(answer.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        return app;
    }
}
