using System.Text.Json.Nodes;
using GenVm.Tests.Modules.Llm;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus nondet cases with the LLM and web modules (contract-corpus.md §2.17; python-sdk.md §9, §11): the real
/// modules, registered as <c>genvm exec</c>'s services, talk to local doubles on 127.0.0.1 (an OpenAI-compatible
/// provider and a web site), as leader and then as validator.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusModulesTests
{
    private FakeProviderServer? _site;
    private FakeProviderServer? _provider;
    private string _weather = "sunny";

    [SetUp]
    public async Task SetUp()
    {
        _site = await FakeProviderServer.StartAsync((request, context) =>
        {
            if (request.Path == "/city")
            {
                return context.Response.WriteAsync("Paris", context.RequestAborted);
            }

            context.Response.StatusCode = 404;
            return context.Response.WriteAsync("no such page", context.RequestAborted);
        });
        _provider = await FakeProviderServer.StartAsync((request, context) =>
        {
            var json = request.Body?["response_format"] is not null;
            return FakeProviderServer.AnswerAsync(context, 200, new JsonObject
            {
                ["id"] = "chatcmpl-1",
                ["object"] = "chat.completion",
                ["choices"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = json ? "{\"n\": 7}" : _weather },
                        ["finish_reason"] = "stop",
                    },
                },
                ["usage"] = new JsonObject { ["prompt_tokens"] = 5, ["completion_tokens"] = 2 },
            });
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        await _site!.DisposeAsync();
        await _provider!.DisposeAsync();
    }

    private CorpusExec Exec() => CorpusExec.CreateOrIgnore(services =>
    {
        services.AddLlmModule(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["backends:fake:provider"] = "openai-compatible",
            ["backends:fake:host"] = _provider!.BaseUrl,
            ["backends:fake:key"] = "sk-test",
            ["backends:fake:models:m1:supports_json"] = "true",
            ["backends:fake:models:m1:supports_image"] = "false",
        }).Build());
        services.AddWebModule(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["always_allow_hosts:0"] = "127.0.0.1",
            ["vm_count"] = "2",
        }).Build());
    });

    [Test]
    public async Task Exec_WebAndLlmInStrictEq_LeaderAndAgreeingValidatorReturnTheAnswer()
    {
        await using var exec = Exec();
        var url = "[\"" + _site!.BaseUrl + "/\"]";

        await exec.RunAsync("modules.py", "--deploy");
        var leader = await exec.ResultAsync("modules.py", "--method", "ask", "--args", url);
        var validator = await exec.RunAsync("modules.py", "--method", "ask", "--args", url, "--validator");
        _weather = "rainy";
        var disagreeing = await exec.RunAsync("modules.py", "--method", "ask", "--args", url, "--validator");

        // python-sdk.md §9: web.get gives the status (200, and 404 without an error: only render fails on 404); the
        // prompt reaches the provider. "200 404 sunny" is 13 characters: (13 << 3) | 4 = 108 = 'l' (calldata.md §9.1).
        Assert.That(leader, Is.EqualTo("executed with `Return(\"l200 404 sunny\")`\n"));
        var prompt = _provider!.Requests.First().Body!["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>();
        Assert.That(prompt, Is.EqualTo("Weather in Paris?"));
        Assert.That(_site.Requests.Select(r => r.Path), Is.SupersetOf(new[] { "/city", "/missing" }));
        // §11 strict_eq: the validator reruns the block in a sandbox and agrees; the leader's value stays the result.
        Assert.That(validator, Does.StartWith("executed with `Return(\"l200 404 sunny\")`\n"));
        Assert.That(validator, Does.Not.Contain("nondet disagreement"));
        // A provider that answers differently for the validator: a disagreement on call 0 (host-protocol.md §9).
        Assert.That(disagreeing, Does.StartWith("executed with `Return(\"l200 404 sunny\")`\nnondet disagreement: 0\n"));
    }

    [Test]
    public async Task Exec_JsonPromptInRunNondet_ReturnsTheDecodedNumberAndValidatorAgrees()
    {
        await using var exec = Exec();

        await exec.RunAsync("modules.py", "--deploy");
        var leader = await exec.ResultAsync("modules.py", "--method", "count");
        var validator = await exec.RunAsync("modules.py", "--method", "count", "--validator");

        // python-sdk.md §9: response_format='json' gives a dict; 7 is the calldata int (7 << 3) | 1 = 57 = '9'.
        Assert.That(leader, Is.EqualTo("executed with `Return(\"9\")`\n"));
        Assert.That(validator, Is.EqualTo("executed with `Return(\"9\")`\n"));
        Assert.That(_provider!.Requests.All(r => r.Body!["response_format"] is not null), Is.True);
    }
}
