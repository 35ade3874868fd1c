using System.Buffers.Binary;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Core.Protocol;
using NUnit.Framework;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// Web and LLM <c>gl_call</c> kinds (wasm-abi.md §4, §4.3) from a nondet leader VM, routed to in-test modules; the
/// leader returns the answer file, which the main VM returns as Bytes.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class ModuleCallTests
{
    private static readonly CalldataValue LeaderBlock = SubVmContract.Request(
        "RunNondet", CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 })));

    private static Task<ContractRun> RunInLeaderAsync(CalldataValue request, ILlmModule? llm = null, IWebModule? web = null)
    {
        var contract = new SubVmContract { MainRequest = LeaderBlock, Leaf = SubVmContract.ReturnLeafRequestFile, LeafRequest = request };
        return new ContractRun { Node = ContractRun.Deploy(contract.Compile()), Llm = llm, Web = web }.RunAsync();
    }

    // The leader's answer file: main returned Bytes(00 + file).
    private static CalldataValue AnswerFile(ContractRun run)
    {
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.Return), run.ResultLine);
        var file = CalldataCodec.Decode(run.Node.Result.AsSpan(1)).AsBytes().ToArray();
        Assert.That(file[0], Is.EqualTo((byte)ResultCode.Return));
        return CalldataCodec.Decode(file.AsSpan(1));
    }

    private static string InternalError(ContractRun run)
    {
        Assert.That(run.Node.Result![0], Is.EqualTo((byte)ResultCode.VmError));
        return Encoding.UTF8.GetString(run.Node.Result.AsSpan(1));
    }

    [Test]
    public async Task WebRender_InLeader_AnswersOkText()
    {
        var web = new FakeWebModule();
        var request = SubVmContract.Request("WebRender", CalldataValue.FromMap(("mode", "html"), ("url", "https://x.test/"), ("wait_after_loaded", "2s"), ("extra", 1)));

        var run = await RunInLeaderAsync(request, web: web);

        Assert.That(AnswerFile(run), Is.EqualTo(CalldataValue.FromMap(("ok", CalldataValue.FromMap(("text", "page https://x.test/"))))));
        Assert.That(web.Requests.Single(), Is.EqualTo(new WebRenderRequest(RenderMode.Html, "https://x.test/", TimeSpan.FromSeconds(2))));
    }

    [Test]
    public async Task WebRender_ModuleUserError_AnswersErrorMap()
    {
        var web = new FakeWebModule { Render = _ => ModuleAnswer<WebRenderAnswer>.Error(CalldataValue.FromMap(("causes", CalldataValue.FromArray("WEBPAGE_LOAD_FAILED")))) };
        var request = SubVmContract.Request("WebRender", CalldataValue.FromMap(("mode", "text"), ("url", "https://x.test/")));

        var run = await RunInLeaderAsync(request, web: web);

        Assert.That(AnswerFile(run), Is.EqualTo(CalldataValue.FromMap(("error", CalldataValue.FromMap(("causes", CalldataValue.FromArray("WEBPAGE_LOAD_FAILED")))))));
    }

    [Test]
    public async Task WebRender_NoModuleConfigured_IsInternalError()
    {
        var request = SubVmContract.Request("WebRender", CalldataValue.FromMap(("mode", "text"), ("url", "https://x.test/")));

        var run = await RunInLeaderAsync(request);

        Assert.That(InternalError(run), Does.Contain("no web module is configured"));
        Assert.That(run.ResultLine, Is.EqualTo("executed with `InternalError(\"\")`"));
    }

    [Test]
    public async Task WebRequest_InLeader_AnswersResponse()
    {
        var web = new FakeWebModule();
        var request = SubVmContract.Request("WebRequest", CalldataValue.FromMap(
            ("method", "POST"), ("url", "https://x.test/"), ("headers", CalldataValue.FromMap(("a", new byte[] { 1 }))), ("body", new byte[] { 9 })));

        var run = await RunInLeaderAsync(request, web: web);

        var response = AnswerFile(run).AsMap()["ok"].AsMap()["response"].AsMap();
        Assert.That(response["status"].AsNumber(), Is.EqualTo((System.Numerics.BigInteger)200));
        var sent = (WebHttpRequest)web.Requests.Single();
        Assert.That(sent.Method, Is.EqualTo("POST"));
        Assert.That(sent.Body!.Value.ToArray(), Is.EqualTo((byte[])[9]));
        Assert.That(sent.Sign, Is.False);
    }

    [Test]
    public async Task WebRequest_UnknownMethod_IsInval()
    {
        var request = SubVmContract.Request("WebRequest", CalldataValue.FromMap(("method", "PUT"), ("url", "u"), ("headers", CalldataMap.Create([]))));

        var run = await RunInLeaderAsync(request, web: new FakeWebModule());

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"exit_code 2\")`"));
    }

    [Test]
    public async Task ExecPrompt_InLeader_AsksFuelThenConsumesIt()
    {
        var llm = new FakeLlmModule();
        var request = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "hi"), ("images", CalldataValue.FromArray()), ("response_format", "text")));

        var run = await RunInLeaderAsync(request, llm: llm);

        Assert.That(AnswerFile(run), Is.EqualTo(CalldataValue.FromMap(("ok", "OK"))));
        Assert.That(llm.Requests.Single().Fuel, Is.EqualTo((1UL << 53) - 1));
        var fuel = run.Node.Transcript.Where(r => r.Method is (byte)HostMethod.RemainingFuelAsGen or (byte)HostMethod.ConsumeFuel).ToList();
        Assert.That(fuel.Select(r => r.Method), Is.EqualTo(new[] { (byte)HostMethod.RemainingFuelAsGen, (byte)HostMethod.ConsumeFuel }));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(fuel[1].Field("gas")), Is.EqualTo(7));
    }

    [Test]
    public async Task ExecPrompt_ThreeImages_IsInval()
    {
        var images = CalldataValue.FromArray(new byte[] { 1 }, new byte[] { 2 }, new byte[] { 3 });
        var request = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "hi"), ("images", images)));

        var run = await RunInLeaderAsync(request, llm: new FakeLlmModule());

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"exit_code 2\")`"));
    }

    [Test]
    public async Task ExecPrompt_InDetVm_IsForbidden()
    {
        var request = SubVmContract.Request("ExecPrompt", CalldataValue.FromMap(("prompt", "hi"), ("images", CalldataValue.FromArray())));
        var contract = new SubVmContract { MainRequest = request };

        var run = await new ContractRun { Node = ContractRun.Deploy(contract.Compile()), Llm = new FakeLlmModule() }.RunAsync();

        Assert.That(run.ResultLine, Is.EqualTo("executed with `VMError(\"exit_code 6\")`"));
    }

    [Test]
    public async Task ExecPromptTemplate_Comparative_AnswersBool()
    {
        var llm = new FakeLlmModule { Answer = _ => ModuleAnswer<LlmAnswer>.Ok(new LlmAnswer(CalldataValue.True, 3)) };
        var request = SubVmContract.Request("ExecPromptTemplate", CalldataValue.FromMap(
            ("template", "EqComparative"), ("leader_answer", "a"), ("validator_answer", "b"), ("principle", "p")));

        var run = await RunInLeaderAsync(request, llm: llm);

        Assert.That(AnswerFile(run), Is.EqualTo(CalldataValue.FromMap(("ok", true))));
        Assert.That(llm.Requests.Single().Payload, Is.EqualTo(new EqComparativeTemplate("a", "b", "p")));
    }

    [Test]
    public async Task ExecPromptTemplate_WrongAnswerKind_IsInternalError()
    {
        var request = SubVmContract.Request("ExecPromptTemplate", CalldataValue.FromMap(
            ("template", "EqNonComparativeValidator"), ("task", "t"), ("criteria", "c"), ("input", "i"), ("output", "o")));

        var run = await RunInLeaderAsync(request, llm: new FakeLlmModule());

        Assert.That(InternalError(run), Does.Contain("EqNonComparativeValidator"));
    }

    [Test]
    public async Task WebRender_InValidatorWithoutModule_MakesTheTransactionAnInternalError()
    {
        // host-protocol.md §8.4: a validator that fails inside the executor makes the whole result an internal error.
        var request = SubVmContract.Request("WebRender", CalldataValue.FromMap(("mode", "text"), ("url", "https://x.test/")));
        var contract = new SubVmContract { MainRequest = LeaderBlock, Leaf = SubVmContract.ReturnLeafRequestFile, LeafRequest = request };

        var run = await new ContractRun { Node = ContractRun.Deploy(contract.Compile(), leaderResults: [[0x00, 0x10]]) }.RunAsync();

        Assert.That(InternalError(run), Does.Contain("no web module is configured"));
        Assert.That(run.Node.Transcript.Any(r => r.Method == (byte)HostMethod.NotifyNondetDisagreement), Is.False);
    }
}
