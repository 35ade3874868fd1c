using System.Buffers.Binary;
using System.Text.Json.Nodes;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Core.Protocol;
using GenVm.Modules.Llm;
using GenVm.Modules.Sessions;
using GenVm.Tests.Core.Supervisor;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenVm.Tests.Modules.Llm;

/// <summary>
/// Cost and budget tracking per execution (issue 7, ours: <c>input_token_price</c>, <c>output_token_price</c>,
/// <c>execution_budget</c>, <c>cost_aware_selection</c>) against fake providers on 127.0.0.1; it never changes
/// <c>consumed_gen</c>.
/// </summary>
[TestFixture]
[Category("Network")]
public sealed class LlmCostTests
{
    private static readonly ModuleHello Hello = new("cost", CalldataValue.FromMap(("node_address", "n"), ("tx_id", "t")));

    private static LlmPromptPayload Prompt(string text) => new(text, [], LlmResponseFormat.Text);

    private static Task OpenAiAnswer(HttpContext context, string content)
        => FakeProviderServer.AnswerAsync(context, 200, new JsonObject
        {
            ["choices"] = new JsonArray(new JsonObject { ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content } }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 11, ["completion_tokens"] = 7 },
        });

    // The real APIs' answers with their usage fields (modules.md §3.5): Anthropic Messages `usage.input_tokens` /
    // `output_tokens` (JSON mode answers with a tool_use block), Google generateContent `usageMetadata`.
    private static Task AnthropicAnswer(RecordedRequest request, HttpContext context, string content)
        => FakeProviderServer.AnswerAsync(context, 200, new JsonObject
        {
            ["id"] = "msg_1",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = "m1",
            ["content"] = request.Body!.ContainsKey("tools")
                ? new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = "t1", ["name"] = "json_out", ["input"] = new JsonObject { ["answer"] = content } })
                : new JsonArray(new JsonObject { ["type"] = "text", ["text"] = content }),
            ["stop_reason"] = "end_turn",
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = 11, ["output_tokens"] = 7 },
        });

    private static Task GoogleAnswer(RecordedRequest request, HttpContext context, string content)
    {
        var json = request.Body!["generationConfig"]!["responseMimeType"]!.GetValue<string>() == "application/json";
        return FakeProviderServer.AnswerAsync(context, 200, new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["content"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = json ? $"{{\"answer\": \"{content}\"}}" : content }), ["role"] = "model" },
                ["finishReason"] = "STOP",
                ["index"] = 0,
            }),
            ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = 11, ["candidatesTokenCount"] = 7, ["totalTokenCount"] = 18 },
            ["modelVersion"] = "m1",
        });
    }

    /// <summary>A fake provider speaking <paramref name="provider"/>'s API that answers <paramref name="content"/>, usage 11 + 7 tokens.</summary>
    private static Task<FakeProviderServer> StartProviderAsync(string provider, string content) => FakeProviderServer.StartAsync(provider switch
    {
        "anthropic" => (r, c) => AnthropicAnswer(r, c, content),
        "google" => (r, c) => GoogleAnswer(r, c, content),
        _ => (_, c) => OpenAiAnswer(c, content),
    });

    private static Dictionary<string, string?> Backend(string name, FakeProviderServer server, string inputPrice, string outputPrice, string provider = "openai-compatible")
        => new()
        {
            [$"backends:{name}:provider"] = provider,
            [$"backends:{name}:host"] = server.BaseUrl,
            [$"backends:{name}:key"] = "k",
            [$"backends:{name}:models:m1:supports_json"] = "true",
            [$"backends:{name}:input_token_price"] = inputPrice,
            [$"backends:{name}:output_token_price"] = outputPrice,
        };

    private static ServiceProvider Build(params Dictionary<string, string?>[] parts)
    {
        var config = new Dictionary<string, string?> { ["vm_count"] = "1" };
        foreach (var (k, v) in parts.SelectMany(p => p))
        {
            config[k] = v;
        }

        var provider = new ServiceCollection().AddLogging().AddInProcessLlmModule(new ConfigurationBuilder().AddInMemoryCollection(config).Build()).BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    private static LlmSession Session(ServiceProvider services)
        => (LlmSession)ModuleSession.Open(services.GetRequiredService<ILlmModule>(), null, Hello).Llm!;

    private static CalldataMap Execution(CalldataValue stats) => stats.AsMap()["execution"].AsMap();

    [TestCase("openai-compatible")]
    [TestCase("anthropic")]
    [TestCase("google")]
    public async Task Prompt_PricedBackend_ChargesReportedUsageAndLeavesConsumedGenZero(string provider)
    {
        await using var server = await StartProviderAsync(provider, "hi");
        await using var services = Build(Backend("only", server, "0.001", "0.002", provider));
        var session = Session(services);

        var answer = await session.PromptAsync(Prompt("p"), 100, CancellationToken.None);
        var stats = await session.GetStatsAsync(CancellationToken.None);

        Assert.That(answer.Value!.ConsumedGen, Is.Zero);
        Assert.That(answer.Value.Data, Is.EqualTo(CalldataValue.FromString("hi")));
        Assert.That(session.Costs.Spent, Is.EqualTo(0.025m));
        Assert.That(Execution(stats)["spent"], Is.EqualTo(CalldataValue.FromString("0.025")));
        Assert.That(Execution(stats)["prompt_tokens"].AsNumber(), Is.EqualTo(new System.Numerics.BigInteger(11)));
        Assert.That(Execution(stats)["completion_tokens"].AsNumber(), Is.EqualTo(new System.Numerics.BigInteger(7)));
        Assert.That(Execution(stats)["calls"].AsNumber(), Is.EqualTo(System.Numerics.BigInteger.One));
    }

    [Test]
    public async Task Prompt_OllamaUsage_IsChargedFromEvalCounts()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) => FakeProviderServer.AnswerAsync(
            c, 200, new JsonObject { ["model"] = "m1", ["response"] = "x", ["done"] = true, ["prompt_eval_count"] = 3, ["eval_count"] = 4 }));
        await using var services = Build(Backend("only", server, "1", "10", "ollama"));
        var session = Session(services);

        await session.PromptAsync(Prompt("p"), 0, CancellationToken.None);

        Assert.That(session.Costs.Spent, Is.EqualTo(43m));
    }

    [TestCase("openai-compatible", "openai-compatible")]
    [TestCase("anthropic", "google")]
    [TestCase("google", "anthropic")]
    public async Task Prompt_ExpensiveBackendOverBudget_IsSkippedForTheCheaperOne(string expensiveProvider, string cheapProvider)
    {
        await using var expensive = await StartProviderAsync(expensiveProvider, "expensive");
        await using var cheap = await StartProviderAsync(cheapProvider, "cheap");

        // Worst case of the default max_tokens (1000): 1000+ for a_expensive, about 1 for b_cheap.
        await using var services = Build(Backend("a_expensive", expensive, "1", "1", expensiveProvider), Backend("b_cheap", cheap, "0.001", "0.001", cheapProvider), new() { ["execution_budget"] = "10" });
        var session = Session(services);

        var answer = await session.PromptAsync(Prompt("p"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString("cheap")));
        Assert.That(expensive.Requests, Is.Empty);
        Assert.That(session.Costs.Refused, Is.EqualTo(1));
        Assert.That(session.Costs.Spent, Is.EqualTo(0.018m));
    }

    [Test]
    public async Task Prompt_BudgetTooSmallForAnyBackend_IsFatalWithoutAnyProviderRequest()
    {
        await using var server = await FakeProviderServer.StartAsync((_, c) => OpenAiAnswer(c, "hi"));
        await using var services = Build(Backend("only", server, "0.001", "0.001"), new() { ["execution_budget"] = "0.5" });

        var e = await Assert.ThrowsAsync<ModuleFatalException>(() => Session(services).PromptAsync(Prompt("p"), 0, CancellationToken.None));

        Assert.That(e!.Message, Does.Contain("NO_PROVIDER_FOR_PROMPT").And.Contain("BUDGET_EXCEEDED"));
        Assert.That(server.Requests, Is.Empty);
    }

    [TestCase("anthropic")]
    [TestCase("google")]
    public async Task Prompt_JsonModeUsage_IsChargedFromTheProvidersUsageFields(string provider)
    {
        await using var server = await StartProviderAsync(provider, "hi");
        await using var services = Build(Backend("only", server, "0.001", "0.002", provider));
        var session = Session(services);

        var answer = await session.PromptAsync(new LlmPromptPayload("p", [], LlmResponseFormat.Json), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromMap(("answer", "hi"))));
        Assert.That(session.Costs.Spent, Is.EqualTo(0.025m));
        Assert.That(session.Costs.Refused, Is.Zero);
    }

    [TestCase("openai-compatible")]
    [TestCase("anthropic")]
    [TestCase("google")]
    public async Task Prompt_BudgetIsPerExecution_ANewSessionStartsAtZero(string provider)
    {
        await using var server = await StartProviderAsync(provider, "hi");

        // Worst case 1.0 (1000 completion tokens at 0.001); a call really costs 0.007; the budget holds one call.
        await using var services = Build(Backend("only", server, "0", "0.001", provider), new() { ["execution_budget"] = "1.005" });
        var first = Session(services);

        await first.PromptAsync(Prompt("one"), 0, CancellationToken.None);
        await Assert.ThrowsAsync<ModuleFatalException>(() => first.PromptAsync(Prompt("two"), 0, CancellationToken.None));
        var again = await Session(services).PromptAsync(Prompt("three"), 0, CancellationToken.None);

        Assert.That(again.IsOk, Is.True);
        Assert.That(server.Requests, Has.Count.EqualTo(2));
        Assert.That(first.Costs.Spent, Is.EqualTo(0.007m));
        Assert.That(first.Costs.Refused, Is.EqualTo(1));
    }

    [TestCase(true, "cheap", "openai-compatible", "openai-compatible")]
    [TestCase(false, "pricey", "openai-compatible", "openai-compatible")]
    [TestCase(true, "cheap", "anthropic", "google")]
    [TestCase(true, "cheap", "google", "anthropic")]
    [TestCase(false, "pricey", "google", "anthropic")]
    public async Task Prompt_CostAwareSelection_AsksTheCheapestBackendFirst(bool costAware, string expected, string priceyProvider, string cheapProvider)
    {
        await using var pricey = await StartProviderAsync(priceyProvider, "pricey");
        await using var cheap = await StartProviderAsync(cheapProvider, "cheap");
        await using var services = Build(
            Backend("a_pricey", pricey, "0.01", "0.03", priceyProvider), Backend("b_cheap", cheap, "0.001", "0.002", cheapProvider), new() { ["cost_aware_selection"] = costAware ? "true" : "false" });

        var answer = await Session(services).PromptAsync(Prompt("p"), 0, CancellationToken.None);

        Assert.That(answer.Value!.Data, Is.EqualTo(CalldataValue.FromString(expected)));
        Assert.That(pricey.Requests.Count + cheap.Requests.Count, Is.EqualTo(1));
    }

    [TestCase("openai-compatible")]
    [TestCase("anthropic")]
    [TestCase("google")]
    public async Task Run_PricedPromptThroughTheExecutor_ConsumesZeroFuelWhileCostsAreTracked(string provider)
    {
        await using var server = await StartProviderAsync(provider, "hi");
        await using var services = Build(Backend("only", server, "0.001", "0.002", provider), new() { ["execution_budget"] = "5" });
        var llm = services.GetRequiredService<ILlmModule>();
        var request = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "p"), ("images", CalldataValue.FromArray())));
        var leader = SubVmContract.Request("RunNondet", CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 })));
        var contract = new SubVmContract { MainRequest = leader, Leaf = SubVmContract.ReturnLeafRequestFile, LeafRequest = request };

        var run = await new ContractRun { Node = ContractRun.Deploy(contract.Compile()), Llm = llm }.RunAsync();
        var stats = (await llm.GetStatsAsync(CancellationToken.None)).AsMap()["costs"].AsMap();

        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.Return), run.ResultLine);
        var consumed = run.Node.Transcript.Single(r => r.Method == (byte)HostMethod.ConsumeFuel);
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(consumed.Field("gas")), Is.Zero);
        Assert.That(stats["spent"], Is.EqualTo(CalldataValue.FromString("0.025")));
    }
}
