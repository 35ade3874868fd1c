using System.Text.Json.Nodes;
using GenVm.Modules.Llm;
using GenVm.Tests.Modules.Llm;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus LLM equivalence principles (contract-corpus.md §2.17 <c>nondet/eq/**</c>; python-sdk.md §11; modules.md §2,
/// §3.3, §5.3): <c>prompt_comparative</c> and <c>prompt_non_comparative</c> as leader and as agreeing and disagreeing
/// validator, with the real LLM module talking to a local OpenAI-compatible double that answers the template prompts.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusEqPrincipleTests
{
    private static readonly LlmPromptTemplatesOptions Templates = new();

    private FakeProviderServer? _provider;
    private string _colour = "blue";
    private string _summary = "Greeting";
    private bool _vote = true;

    [SetUp]
    public async Task SetUp()
    {
        // NUnit shares one fixture instance between tests: reset what the tests change.
        (_colour, _summary, _vote) = ("blue", "Greeting", true);
        _provider = await FakeProviderServer.StartAsync((request, context) =>
        {
            var system = SystemMessage(request);
            // Template prompts carry the template's system message (modules.md §5.3); bool templates ask for JSON.
            var content = system == Templates.EqComparative.System || system == Templates.EqNonComparativeValidator.System
                ? "{\"reason\": \"checked\", \"result\": " + (_vote ? "true" : "false") + "}"
                : system == Templates.EqNonComparativeLeader.System ? _summary : _colour;
            return FakeProviderServer.AnswerAsync(context, 200, new JsonObject
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
        });
    }

    [TearDown]
    public async Task TearDown() => await _provider!.DisposeAsync();

    private static string? SystemMessage(RecordedRequest request)
        => request.Body!["messages"]!.AsArray().FirstOrDefault(m => m!["role"]!.GetValue<string>() == "system")?["content"]!.GetValue<string>();

    private static string User(RecordedRequest request)
        => request.Body!["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "user")!["content"]![0]!["text"]!.GetValue<string>();

    private static string Substitute(string template, params (string Name, string Value)[] variables)
        => variables.Aggregate(template, (text, v) => text.Replace("#{" + v.Name + "}", v.Value, StringComparison.Ordinal));

    private CorpusExec Exec() => CorpusExec.CreateOrIgnore(services =>
        services.AddLlmModule(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["backends:fake:provider"] = "openai-compatible",
            ["backends:fake:host"] = _provider!.BaseUrl,
            ["backends:fake:key"] = "sk-test",
            ["backends:fake:models:m1:supports_json"] = "true",
            ["backends:fake:models:m1:supports_image"] = "false",
        }).Build()));

    [Test]
    public async Task Exec_PromptComparative_LeaderReturnsItsAnswerAndValidatorVotesThroughTheComparativeTemplate()
    {
        await using var exec = Exec();

        await exec.RunAsync("eq_principle.py", "--deploy");
        var leader = await exec.ResultAsync("eq_principle.py", "--method", "comparative");
        var leaderRequests = _provider!.Requests.ToArray();
        _colour = "navy";
        var agreeing = await exec.RunAsync("eq_principle.py", "--method", "comparative", "--validator");
        var comparison = _provider.Requests.Last();
        _vote = false;
        var disagreeing = await exec.RunAsync("eq_principle.py", "--method", "comparative", "--validator");

        // python-sdk.md §11: the leader only runs fn (one plain prompt, no template).
        Assert.That(leader, Is.EqualTo(CorpusExec.ReturnsString("blue")));
        Assert.That(leaderRequests, Has.Length.EqualTo(1));
        Assert.That(SystemMessage(leaderRequests[0]), Is.Null);
        Assert.That(User(leaderRequests[0]), Is.EqualTo("Name a colour"));
        // The validator runs fn itself, then asks EqComparative with format(leader), format(mine) and the principle:
        // the provider gets the eq_comparative template (modules.md §3.3) with #{…} substituted, as a JSON call.
        Assert.That(SystemMessage(comparison), Is.EqualTo(Templates.EqComparative.System));
        Assert.That(User(comparison), Is.EqualTo(Substitute(
            Templates.EqComparative.User,
            ("leader_answer", "blue"),
            ("validator_answer", "navy"),
            ("principle", "both name the same colour"))));
        Assert.That(comparison.Body!["response_format"]?["type"]?.GetValue<string>(), Is.EqualTo("json_object"));
        // A true vote agrees; a false vote keeps the leader's value and reports a disagreement on call 0 (testdata.md).
        Assert.That(agreeing, Does.StartWith(CorpusExec.ReturnsString("blue")));
        Assert.That(agreeing, Does.Not.Contain("nondet disagreement"));
        Assert.That(disagreeing, Does.StartWith(CorpusExec.ReturnsString("blue") + "nondet disagreement: 0\n"));
    }

    [Test]
    public async Task Exec_PromptComparativeValidatorWithPercentInLeaderValue_InsertsItLiterally()
    {
        await using var exec = Exec();
        _colour = "%0";

        await exec.RunAsync("eq_principle.py", "--deploy");
        var leader = await exec.ResultAsync("eq_principle.py", "--method", "comparative");
        var validator = await exec.RunAsync("eq_principle.py", "--method", "comparative", "--validator");
        var comparison = _provider!.Requests.Last();

        // contract-corpus.md semi-stable/llm/percent_in_prompt; modules.md §5.3: `%` in a value is escaped before
        // string.gsub, so "%0" reaches the provider as is (not the whole match).
        Assert.That(leader, Is.EqualTo(CorpusExec.ReturnsString("%0")));
        Assert.That(User(comparison), Is.EqualTo(Substitute(
            Templates.EqComparative.User,
            ("leader_answer", "%0"),
            ("validator_answer", "%0"),
            ("principle", "both name the same colour"))));
        Assert.That(validator, Does.StartWith(CorpusExec.ReturnsString("%0")));
        Assert.That(validator, Does.Not.Contain("nondet disagreement"));
    }

    [Test]
    public async Task Exec_PromptNonComparative_LeaderAsksTheLeaderTemplateAndValidatorVotesThroughTheValidatorTemplate()
    {
        await using var exec = Exec();
        const string Text = "Hello there, my friend!";
        var args = "[\"" + Text + "\"]";

        await exec.RunAsync("eq_principle.py", "--deploy");
        var leader = await exec.ResultAsync("eq_principle.py", "--method", "non_comparative", "--args", args);
        var leaderRequest = _provider!.Requests.Single();
        var agreeing = await exec.RunAsync("eq_principle.py", "--method", "non_comparative", "--args", args, "--validator");
        var validation = _provider.Requests.Last();
        _vote = false;
        var disagreeing = await exec.RunAsync("eq_principle.py", "--method", "non_comparative", "--args", args, "--validator");

        // python-sdk.md §11: the leader's value is the LLM's text for EqNonComparativeLeader (a text call).
        Assert.That(leader, Is.EqualTo(CorpusExec.ReturnsString("Greeting")));
        Assert.That(SystemMessage(leaderRequest), Is.EqualTo(Templates.EqNonComparativeLeader.System));
        Assert.That(User(leaderRequest), Is.EqualTo(Substitute(
            Templates.EqNonComparativeLeader.User,
            ("task", "Summarise the text in one word"),
            ("criteria", "one English word"),
            ("input", Text))));
        Assert.That(leaderRequest.Body!["response_format"], Is.Null);
        // The validator asks EqNonComparativeValidator with output = the leader's value and input = its own fn().
        Assert.That(SystemMessage(validation), Is.EqualTo(Templates.EqNonComparativeValidator.System));
        Assert.That(User(validation), Is.EqualTo(Substitute(
            Templates.EqNonComparativeValidator.User,
            ("task", "Summarise the text in one word"),
            ("input", Text),
            ("criteria", "one English word"),
            ("output", "Greeting"))));
        Assert.That(validation.Body!["response_format"]?["type"]?.GetValue<string>(), Is.EqualTo("json_object"));
        // eq_prompt_non_comparative_validator / _validator_bad (contract-corpus.md §2.17, testdata.md).
        Assert.That(agreeing, Does.StartWith(CorpusExec.ReturnsString("Greeting")));
        Assert.That(agreeing, Does.Not.Contain("nondet disagreement"));
        Assert.That(disagreeing, Does.StartWith(CorpusExec.ReturnsString("Greeting") + "nondet disagreement: 0\n"));
    }
}
