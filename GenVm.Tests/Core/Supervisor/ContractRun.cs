using GenVm.Core.Protocol;
using GenVm.Host.Verbs;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Wasm;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// Runs <c>genvm run</c> (the verb in-process) for a WAT contract deployed in a <see cref="TestNode"/> behind a real
/// Unix socket, as the reference harness does (testdata.md §6.1).
/// </summary>
internal sealed class ContractRun
{
    /// <summary>Contract 0x01 00…, sender/origin 0x02 00… (testdata.md §2 templates).</summary>
    public const string ContractHex = "0100000000000000000000000000000000000000";

    public const string MessageJson =
        "{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"value\":null,\"is_init\":false}";

    public required TestNode Node { get; init; }

    public SignalingStream Stdout { get; } = new();

    public MemoryStream Stderr { get; } = new();

    public int ExitCode { get; private set; }

    /// <summary>The stdout lines (guest output then the result line).</summary>
    public string[] Lines => Stdout.Text().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The last stdout line: ``executed with `…` ``.</summary>
    public string ResultLine => Lines[^1];

    public static TestNode Deploy(byte[] code, byte[]? calldata = null, List<byte[]>? leaderResults = null)
    {
        var node = new TestNode { ContractHex = ContractHex, Calldata = calldata ?? [0x00], LeaderResults = leaderResults };
        DeployAt(node, ContractHex, code);
        return node;
    }

    /// <summary>Writes <paramref name="code"/> as the code of <paramref name="accountHex"/> (host-protocol.md §12).</summary>
    public static void DeployAt(TestNode node, string accountHex, byte[] code)
    {
        node.Write(accountHex, SlotId.Code, 0, BitConverter.GetBytes((uint)code.Length));
        node.Write(accountHex, SlotId.Code, 4, code);
    }

    /// <summary>The <c>--message</c> JSON (default <see cref="MessageJson"/>).</summary>
    public string Message { get; init; } = MessageJson;

    /// <summary>Extra <c>genvm run</c> options, e.g. <c>--sync</c>.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The LLM module handed to the executor.</summary>
    public GenVm.Core.Modules.ILlmModule? Llm { get; init; }

    /// <summary>The runner registry handed to the executor.</summary>
    public GenVm.Core.Runners.RunnerRegistry? Runners { get; init; }

    /// <summary>The web module handed to the executor.</summary>
    public GenVm.Core.Modules.IWebModule? Web { get; init; }

    /// <summary>The executor's log (its <c>--log-fd</c> records); null logs nothing.</summary>
    public Microsoft.Extensions.Logging.ILogger? Log { get; init; }

    /// <summary>Deploys <paramref name="wat"/> and runs it to the end.</summary>
    public static Task<ContractRun> RunAsync(string wat, byte[]? calldata = null, Func<ContractRun, CancellationTokenSource, Task>? whileRunning = null)
        => RunAsync(Deploy(WatCompiler.Compile(wat), calldata), whileRunning);

    /// <summary>Runs the contract already deployed in <paramref name="node"/>.</summary>
    public static async Task<ContractRun> RunAsync(TestNode node, Func<ContractRun, CancellationTokenSource, Task>? whileRunning = null)
    {
        var run = new ContractRun { Node = node };
        await run.ExecuteAsync(whileRunning);
        return run;
    }

    /// <summary>Runs the contract already deployed in <see cref="Node"/> with this run's options.</summary>
    public async Task<ContractRun> RunAsync()
    {
        await ExecuteAsync(null);
        return this;
    }

    internal async Task ExecuteAsync(Func<ContractRun, CancellationTokenSource, Task>? whileRunning)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var cancel = new CancellationTokenSource();
        await using var host = TestHost.StartUnix();
        var verb = new RunVerb(() => Stdout, () => Stderr) { Llm = Llm, Web = Web, Runners = Runners, Logger = Log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance };
        var run = Task.Run(() => verb.RunCoreAsync(["--host", host.Uri, "--message", Message, "--print=result", .. ExtraArgs], cancel.Token));
        await host.AcceptAsync(guard.Token);
        var serve = Node.ServeAsync(host, guard.Token);
        if (whileRunning is not null)
        {
            await whileRunning(this, cancel);
        }

        await serve;
        ExitCode = await run.WaitAsync(guard.Token);
    }
}
