using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Messages;
using GenVm.Core.Runners;
using GenVm.Tests.Core.Runners;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// The `test` and `latest` runner tags resolve only in debug mode (issue 6, runners.md §5), seen from whole
/// <c>genvm run</c> executions: without <c>--debug-mode</c> a contract depending on <c>echo:test</c> is an invalid
/// contract, with it the tagged runner starts; an aliased reference id resolves in both.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class RunnerDebugModeTests
{
    private const string ReferenceId = "echo:1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6";

    private static readonly string ExpectedEcho = ResultLineFormatter.FormatReturn(
        ExtendedMessage.ForTopLevel(MessageJson.Parse(ContractRun.MessageJson), new byte[] { 0x00 }).Encode());

    private static TestRunnerStore Store()
    {
        var store = new TestRunnerStore();
        var id = RunnerId.Parse(store.Add("echo", new TestTar()
            .Add("runner.json", Encoding.UTF8.GetBytes("{\"StartWasm\": \"echo.wasm\"}"))
            .Add("echo.wasm", new SubVmContract().Compile())
            .Build()));
        store.Tags["test"] = new Dictionary<string, string> { ["echo"] = id.Hash };
        store.Tags["latest"] = new Dictionary<string, string> { ["echo"] = id.Hash };
        store.Aliases[ReferenceId] = "echo";
        return store;
    }

    private static async Task<string> RunAsync(string dependency, params string[] extraArgs)
    {
        using var store = Store();
        var code = Encoding.UTF8.GetBytes($"# {{ \"Depends\": \"{dependency}\" }}\nprint('hi')\n");
        var run = await new ContractRun { Node = ContractRun.Deploy(code), Runners = store.Registry(), ExtraArgs = extraArgs }.RunAsync();
        return run.ResultLine;
    }

    [TestCase("echo:test")]
    [TestCase("echo:latest")]
    public async Task Run_TagWithoutDebugMode_InvalidContract(string dependency) =>
        Assert.That(await RunAsync(dependency), Is.EqualTo("executed with `VMError(\"invalid_contract\")`"));

    [TestCase("echo:test")]
    [TestCase("echo:latest")]
    public async Task Run_TagWithDebugMode_StartsTheTaggedRunner(string dependency) =>
        Assert.That(await RunAsync(dependency, "--debug-mode"), Is.EqualTo(ExpectedEcho));

    [Test]
    public async Task Run_AliasedReferenceIdWithoutDebugMode_StartsOurBuild() =>
        Assert.That(await RunAsync(ReferenceId), Is.EqualTo(ExpectedEcho));
}
