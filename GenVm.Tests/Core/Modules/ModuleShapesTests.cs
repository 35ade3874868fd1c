using GenVm.Core.Calldata;
using GenVm.Core.Modules;

namespace GenVm.Tests.Core.Modules;

/// <summary>The request/answer shapes of host-protocol.md §11 encode as the spec writes them (hand-transcribed octets).</summary>
[TestFixture]
public sealed class ModuleShapesTests
{
    [Test]
    public void LlmPromptPayload_ToCalldata_MatchesSpecShape()
    {
        var payload = new LlmPromptPayload("hi", [new byte[] { 0x89, 0x50 }], LlmResponseFormat.Json);

        Assert.That(
            Convert.ToHexStringLower(CalldataCodec.Encode(payload.ToCalldata())),
            Is.EqualTo("1e06696d616765730d1389500670726f6d70741468690f726573706f6e73655f666f726d6174246a736f6e"));
    }

    [Test]
    public void EqComparativeTemplate_ToCalldata_IsInternallyTagged()
    {
        var payload = new EqComparativeTemplate("a", "b", "p");

        Assert.That(
            Convert.ToHexStringLower(CalldataCodec.Encode(payload.ToCalldata())),
            Is.EqualTo("260d6c65616465725f616e737765720c61097072696e6369706c650c700874656d706c6174656c4571436f6d70617261746976651076616c696461746f725f616e737765720c62"));
        Assert.That(payload.ExpectsBoolAnswer, Is.True);
    }

    [Test]
    public void Templates_AnswerKinds_FollowSpec()
    {
        Assert.That(new EqNonComparativeLeaderTemplate("t", "c", "i").ExpectsBoolAnswer, Is.False);
        Assert.That(new EqNonComparativeValidatorTemplate("t", "c", "i", "o").ExpectsBoolAnswer, Is.True);
        var validator = new EqNonComparativeValidatorTemplate("t", "c", "i", "o").ToCalldata();
        Assert.That(validator.Keys, Is.EqualTo(new[] { "criteria", "input", "output", "task", "template" }));
        Assert.That(validator["template"].AsString(), Is.EqualTo("EqNonComparativeValidator"));
    }

    [Test]
    public void WebRenderRequest_ToCalldata_WritesMilliseconds()
    {
        var map = new WebRenderRequest(RenderMode.Screenshot, "https://example.org", TimeSpan.FromSeconds(2)).ToCalldata();

        Assert.That(map["mode"].AsString(), Is.EqualTo("screenshot"));
        Assert.That(map["wait_after_loaded"].AsString(), Is.EqualTo("2000ms"));
    }

    [Test]
    public void WebHttpRequest_ToCalldata_NullBodyAndBytesHeaders()
    {
        var map = new WebHttpRequest("GET", "https://example.org", new Dictionary<string, ReadOnlyMemory<byte>> { ["a"] = new byte[] { 1 } }, null, false).ToCalldata();

        Assert.That(map.Keys, Is.EqualTo(new[] { "body", "headers", "method", "sign", "url" }));
        Assert.That(map["body"].IsNull, Is.True);
        Assert.That(map["headers"].AsMap()["a"].AsBytes().ToArray(), Is.EqualTo(new byte[] { 1 }));
    }

    [Test]
    public void Answers_ToCalldata_UseLowercaseTags()
    {
        Assert.That(WebRenderAnswer.FromText("x").ToCalldata().Keys, Is.EqualTo(new[] { "text" }));
        Assert.That(WebRenderAnswer.FromImage(new byte[] { 1 }).ToCalldata().Keys, Is.EqualTo(new[] { "image" }));
        var response = new WebHttpResponse(200, new Dictionary<string, ReadOnlyMemory<byte>>(), new byte[] { 2 }).ToCalldata();
        Assert.That(response["response"].AsMap().Keys, Is.EqualTo(new[] { "body", "headers", "status" }));
    }

    [Test]
    public void ModuleAnswer_OkAndError_AreExclusive()
    {
        var ok = ModuleAnswer<LlmAnswer>.Ok(new LlmAnswer(CalldataValue.FromString("x"), 0));
        var error = ModuleAnswer<LlmAnswer>.Error(CalldataValue.FromMap(("causes", CalldataValue.FromArray()), ("ctx", CalldataValue.FromMap(Array.Empty<KeyValuePair<string, CalldataValue>>()))));

        Assert.That(ok.IsOk, Is.True);
        Assert.That(ok.UserError, Is.Null);
        Assert.That(error.IsOk, Is.False);
        Assert.That(error.Value, Is.Null);
    }
}
