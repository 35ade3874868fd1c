using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.LocalNode;
using GenVm.Core.Messages;
using GenVm.Core.Modules;
using GenVm.Core.Pool;
using GenVm.Core.Protocol;
using GenVm.Core.Supervisor;
using GenVm.Host.Configuration;
using GenVm.Modules.Sessions;
using GenVm.Wasm.Compilation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm exec &lt;contract&gt; [--method m --args '[…]'] [--state state.json] …</c>: runs one transaction of a
/// contract file against an in-process node (<see cref="LocalNode"/>) through the same executor as <c>run</c>, in
/// debug mode. Prints the contract's output, the result line, outgoing messages/events and the storage changes, and
/// applies the transaction's deploys (docs/decisions.md "genvm exec applies deploys") and, with
/// <c>--apply-messages</c>, its messages and value transfers (docs/decisions.md "genvm exec applies messages").
/// Exit code 0 once the transaction ran (whatever its result), 1 on bad input.
/// </summary>
internal sealed partial class ExecVerb : IVerb
{
    private const string Help = """
        usage: genvm exec <contract> [options]

        Runs one transaction of a contract locally, against an in-process node that keeps its state in a
        JSON file. The contract file is deployed at --address before every run (its code slot is overwritten);
        a directory (runner.json, contract/…) is packed into a stored zip first; without a contract the code
        already stored at --address runs. Deploys (gl.deploy_contract) of a returned transaction are applied:
        the child's code is stored at its address and its constructor runs. Messages (.emit(), emit_transfer,
        eth_send) are listed; with --apply-messages they run as the following transactions and values move.

          genvm exec contract.wasm --deploy --state state.json              run the constructor
          genvm exec contract.wasm --method get --state state.json          call a method
          genvm exec contract.wasm --method add --args '[1, "two", addr#0300000000000000000000000000000000000000]'
          genvm exec --address 0x… --method get --state state.json          call a deployed child

        options:
          --method <name>        method to call: the calldata is {"method": name, "args": [...]}
          --args '<calldata>'    the arguments, a calldata text array: JSON plus big integers, b#hex, addr#hex
          --calldata '<text>'    the whole entry calldata instead of --method/--args (default {})
          --deploy               the deployment transaction (is_init = true)
          --address <addr>       contract address (default 0x0100000000000000000000000000000000000000)
          --sender <addr>        sender and origin (default 0x0200000000000000000000000000000000000000)
          --value <n>            value sent with the message (default 0)
          --datetime <rfc3339>   transaction time (default 2024-11-26T06:42:42.424242Z)
          --state <file>         state loaded before and saved after the run (created when missing);
                                 storage changes are kept only when the transaction returns
          --leader               nondet blocks run as leader (default); their results are saved in the state
          --validator            nondet blocks take the leader results saved by the last --leader run and
                                 run validators; a disagreement prints `nondet disagreement: N`
          --sync                 with --validator: use the leader results without running validators
          --apply-messages       after a returned transaction, move the value of its messages and deploys from
                                 the sender's balance and run each message as a transaction of its receiver
                                 (sender: the emitting contract); "accepted" before "finalized" messages, then
                                 what those send, at most 64 follow-ups; one that fails is rolled back
          --permissions <rwscn>  permissions of the contract (read, write, send, call, nondet)
          --print <what>         result (default), fingerprint or none; repeatable
          --host-data '<json>'   host data forwarded to the modules (needs node_address and tx_id)
          --cookie <id>          cookie forwarded to the modules (default: random)

        output: the contract's stdout and stderr, then ``executed with `…` `` (host-protocol.md §9), the
        outgoing messages, events and deploys, and the storage slots that changed.
        """;

    /// <summary>At most this many follow-up transactions (deploys and messages) per <c>exec</c>: messages can ping-pong.</summary>
    private const int MaxFollowUps = 64;

    private readonly Func<Stream> _stdout;
    private readonly Func<Stream> _stderr;
    private readonly IServiceProvider? _services;
    private readonly Lazy<ILogger> _logger;

    /// <summary>Uses the process's standard streams and the modules registered in <paramref name="services"/>.</summary>
    public ExecVerb(IServiceProvider services)
        : this(Console.OpenStandardOutput, Console.OpenStandardError, services)
    {
    }

    /// <summary>Uses the given streams (tests).</summary>
    internal ExecVerb(Func<Stream> stdout, Func<Stream> stderr, IServiceProvider? services = null)
    {
        _stdout = stdout;
        _stderr = stderr;
        _services = services;

        // As in `run` (config.md §5): the process's logger factory (stderr at the configured level, Warning by default;
        // JSON lines with Logging:Console:FormatterName=json or --log-fd). Deferred: the factory is built on the first
        // record the configuration lets through, so a quiet exec never pays for it (docs/decisions.md "exec logs").
        _logger = new Lazy<ILogger>(() => services is null
            ? NullLogger<ExecVerb>.Instance
            : new DeferredLogger(
                services.GetService<LogFloor>()?.Level ?? LogLevel.Trace,
                () => services.GetService<ILoggerFactory>()?.CreateLogger<ExecVerb>() ?? NullLogger<ExecVerb>.Instance));
    }

    /// <summary>The executor's log of every transaction this verb runs (its deploys' too).</summary>
    internal ILogger Logger
    {
        get => _logger.Value;
        init => _logger = new Lazy<ILogger>(value);
    }

    private string? RunnersDirectory => _services?.GetService<Microsoft.Extensions.Configuration.IConfiguration>()?["runners_dir"];

    public string Name => "exec";

    public string Summary => "run a contract file locally against an in-process node: exec <contract> [--method m --args '[…]'] [--state f.json]";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        TerminationSignals.RunAsync(token => RunCoreAsync(args, token), cancellationToken);

    /// <summary>Runs the verb; <paramref name="cancellationToken"/> plays the role of the termination signal.</summary>
    internal async Task<int> RunCoreAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var stdout = _stdout();
        var stderrStream = _stderr();
        using var stderr = new StreamWriter(stderrStream, new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true };
        if (!ExecArguments.TryParse(args, out var parsed, out var error))
        {
            stderr.WriteLine($"genvm exec: {error}");
            return 1;
        }

        if (parsed.Help)
        {
            var help = Encoding.UTF8.GetBytes(Help);
            await stdout.WriteAsync(help, cancellationToken).ConfigureAwait(false);
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        byte[]? code = null;
        LocalNodeState state;
        try
        {
            if (parsed.ContractPath.Length > 0)
            {
                code = Directory.Exists(parsed.ContractPath)
                    ? ContractDirectory.Pack(parsed.ContractPath)
                    : await File.ReadAllBytesAsync(parsed.ContractPath, cancellationToken).ConfigureAwait(false);
            }

            state = parsed.StatePath is { } path && File.Exists(path)
                ? LocalNodeState.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false))
                : new LocalNodeState();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            stderr.WriteLine($"genvm exec: {e.Message}");
            return 1;
        }

        if (code is not null)
        {
            // host-protocol.md §12: deploy writes = u32 length at index 0 and the code from index 4 of the code slot.
            state.DeployCode(parsed.Contract, code);
        }
        else if (!state.HasCode(parsed.Contract))
        {
            stderr.WriteLine($"genvm exec: no contract file given and no code at {parsed.Contract} in the state (usage: genvm exec <contract> [--method m --args '[…]'])");
            return 1;
        }

        GenVm.Core.Runners.RunnerRegistry? runners;
        try
        {
            runners = string.IsNullOrEmpty(RunnersDirectory) ? null : GenVm.Core.Runners.RunnerRegistry.Open(RunnersDirectory);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"genvm exec: bad runners directory {RunnersDirectory}: {e.Message}");
            return 1;
        }

        if (!ExecutorModuleResolver.TryResolve(_services, null, null, out var llm, out var web, out var moduleError))
        {
            stderr.WriteLine($"genvm exec: {moduleError}");
            return 1;
        }

        // modules.md §2.3: the Hello of a local run; --host-data/--cookie as for `genvm run`.
        var cookie = parsed.Cookie ?? RunCookie.Generate();
        await using var modules = ModuleSession.Open(llm, web, new ModuleHello(cookie, parsed.HostData ?? CalldataMap.Empty), Logger);
        var message = new TransactionMessage(parsed.Contract, parsed.Sender, parsed.Sender, 0, parsed.Value, parsed.Deploy, parsed.Datetime);
        var pool = _services?.GetService<ExecutionPool>() ?? RunVerb.DefaultPool;

        // The same code path as `genvm run`: one execution of the process's pool per transaction.
        async Task<TransactionOutcome> RunTransactionAsync(LocalNode node, TransactionMessage transaction, bool sync)
        {
            var request = (GenVm.Core.Host.HostConnection host) => new ExecutionRequest
            {
                Host = host,
                Message = transaction,
                Stdout = stdout,
                Stderr = stderrStream,
                Sync = sync,
                DebugMode = true,
                Permissions = parsed.Permissions,
                Llm = modules.Llm,
                Web = modules.Web,
                Runners = runners,
                Log = Logger,
            };
            Log.Started(Logger, transaction.ContractAddress.ToString(), transaction.IsInit, cookie, sync);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var outcome = await LocalRun.RunAsync(
                node,
                async (host, token) =>
                {
                    var execution = await pool.RunAsync(request(host), token).ConfigureAwait(false);
                    if (execution.Outcome is null)
                    {
                        Log.ExecutionFailed(Logger, execution.Failure);
                    }

                    return execution.Outcome ?? throw new IOException(execution.Failure);
                },
                cancellationToken).ConfigureAwait(false);
            Log.Finished(Logger, outcome.Result.Kind.ToString(), (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (outcome.Result.Kind is ResultCode.VmError or ResultCode.InternalError)
            {
                Log.VmError(Logger, outcome.Result.Message);
            }

            return outcome;
        }

        var node = new LocalNode(state, parsed.Contract, CalldataCodec.Encode(parsed.Calldata), parsed.Validator);
        TransactionOutcome outcome;
        var report = new StringBuilder();
        LocalNodeState after;
        try
        {
            Diagnostics.StartupTrace.Mark("exec ready");
            var timing = PhaseTimings.Start();
            outcome = await RunTransactionAsync(node, message, parsed.Sync).ConfigureAwait(false);
            PhaseTimings.Stop("exec transaction", timing);
            Diagnostics.StartupTrace.Mark("exec ran");
            after = outcome.Result.Kind == ResultCode.Return ? node.Working : state;
            if (!parsed.Validator)
            {
                after.LeaderResults.Clear();
                after.LeaderResults.AddRange(node.PostedLeaderResults.Values);
            }

            report.Append(OutcomeText.Format(outcome, parsed.PrintResult, parsed.PrintFingerprint));
            AppendLog(report, node, parsed.PrintResult);
            if (outcome.Result.Kind == ResultCode.Return)
            {
                after = await ApplyFollowUpsAsync(after, node, message, RunTransactionAsync, stdout, report, parsed.PrintResult, parsed.ApplyMessages).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or GenVm.Core.Host.HostProtocolException or InvalidDataException)
        {
            stderr.WriteLine($"genvm exec: the local run failed: {e.Message}");
            return 1;
        }

        var reportTiming = PhaseTimings.Start();
        if (parsed.PrintResult)
        {
            foreach (var line in StorageDiff(state, after))
            {
                report.Append(line).Append('\n');
            }
        }

        await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await stdout.WriteAsync(Encoding.UTF8.GetBytes(report.ToString()), CancellationToken.None).ConfigureAwait(false);
        await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        if (outcome.Result.Kind is ResultCode.VmError or ResultCode.InternalError)
        {
            stderr.WriteLine(outcome.Result.Message);
        }

        reportTiming = PhaseTimings.Stop("exec report", reportTiming);
        if (parsed.StatePath is { } statePath)
        {
            try
            {
                await File.WriteAllTextAsync(statePath, after.ToJson(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"genvm exec: cannot save the state: {e.Message}");
                return 1;
            }

            PhaseTimings.Stop("exec state saved", reportTiming);
        }

        return 0;
    }

    private static void AppendLog(StringBuilder report, LocalNode node, bool printResult)
    {
        if (printResult)
        {
            foreach (var line in node.Log)
            {
                report.Append(line).Append('\n');
            }
        }
    }

    /// <summary>
    /// Applies what a returned transaction sent, in order, the way a node runs the messages after it: its deploys
    /// (docs/decisions.md "genvm exec applies deploys") and, with <paramref name="applyMessages"/>, its messages
    /// (docs/decisions.md "genvm exec applies messages"); then what each follow-up that returns sent, breadth first,
    /// at most <see cref="MaxFollowUps"/> in all. Each application is reported with its output and result line.
    /// </summary>
    private static async Task<LocalNodeState> ApplyFollowUpsAsync(
        LocalNodeState state,
        LocalNode first,
        TransactionMessage firstMessage,
        Func<LocalNode, TransactionMessage, bool, Task<TransactionOutcome>> run,
        Stream stdout,
        StringBuilder report,
        bool printResult,
        bool applyMessages)
    {
        var pending = new Queue<object>();
        void Enqueue(LocalNode node)
        {
            foreach (var deploy in node.Deploys)
            {
                pending.Enqueue(deploy);
            }

            if (applyMessages)
            {
                // Messages sent on acceptance go out before those sent on finalization; each kind in call order.
                foreach (var message in node.Messages.Where(m => m.OnAccepted).Concat(node.Messages.Where(m => !m.OnAccepted)))
                {
                    pending.Enqueue(message);
                }
            }
        }

        Enqueue(first);
        var applied = 0;
        while (pending.TryDequeue(out var next))
        {
            if (++applied > MaxFollowUps)
            {
                report.Append($"stopped after {MaxFollowUps} follow-up transactions: {pending.Count + 1} more not applied\n");
                break;
            }

            // The report so far first: a follow-up's own prints go to stdout while it runs.
            async Task FlushAsync()
            {
                await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                await stdout.WriteAsync(Encoding.UTF8.GetBytes(report.ToString()), CancellationToken.None).ConfigureAwait(false);
                report.Clear();
            }

            LocalNode child;
            TransactionMessage message;
            LocalNodeState before;
            if (next is LocalDeploy deploy)
            {
                var address = deploy.ChildAddress(firstMessage.ChainId, state.HasCode);
                if (state.HasCode(address))
                {
                    report.Append($"deploy_contract to {address}: refused, the address already has code\n");
                    continue;
                }

                if (deploy.Value > ulong.MaxValue)
                {
                    report.Append($"deploy_contract to {address}: refused, value {deploy.Value} is too large for a message\n");
                    continue;
                }

                var withCode = state.Clone();
                if (applyMessages && !TryMove(withCode, deploy.Deployer, address, deploy.Value, out var shortfall))
                {
                    report.Append($"deploy_contract to {address}: refused, {shortfall}\n");
                    continue;
                }

                report.Append($"deployed {address} by {deploy.Deployer}:\n");
                await FlushAsync().ConfigureAwait(false);
                withCode.DeployCode(address, deploy.Code);
                before = state;
                child = new LocalNode(withCode, address, deploy.Calldata, validator: false);
                message = firstMessage with { ContractAddress = address, SenderAddress = deploy.Deployer, Value = (ulong)deploy.Value, IsInit = true };
            }
            else
            {
                var sent = (LocalMessage)next;
                var kind = sent.Evm ? "eth_send" : "message";
                var moved = state.Clone();
                if (!TryMove(moved, sent.From, sent.To, sent.Value, out var shortfall))
                {
                    report.Append($"{kind} to {sent.To} from {sent.From}: refused, {shortfall}\n");
                    continue;
                }

                if (sent.Evm || !moved.HasCode(sent.To))
                {
                    // No EVM here, and an account without code has nothing to run: only the value moves.
                    var why = sent.Evm ? "no EVM in the local node, the calldata is not run" : "no code at the address";
                    report.Append($"{kind} to {sent.To} from {sent.From}: value {sent.Value} moved ({why})\n");
                    state = moved;
                    continue;
                }

                if (sent.Value > ulong.MaxValue)
                {
                    report.Append($"{kind} to {sent.To} from {sent.From}: refused, value {sent.Value} is too large for a message\n");
                    continue;
                }

                report.Append($"message to {sent.To} from {sent.From} (value {sent.Value}):\n");
                await FlushAsync().ConfigureAwait(false);
                before = state;
                child = new LocalNode(moved, sent.To, sent.Calldata, validator: false);
                message = firstMessage with { ContractAddress = sent.To, SenderAddress = sent.From, Value = (ulong)sent.Value, IsInit = false };
            }

            var outcome = await run(child, message, false).ConfigureAwait(false);
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            report.Append(OutcomeText.Format(outcome, printResult, fingerprint: false));
            AppendLog(report, child, printResult);
            if (outcome.Result.Kind == ResultCode.Return)
            {
                // The leader results of the first transaction stay; follow-ups' nondet blocks ran as leader, unsaved.
                child.Working.LeaderResults.Clear();
                child.Working.LeaderResults.AddRange(before.LeaderResults);
                state = child.Working;
                Enqueue(child);
            }
            else if (applyMessages)
            {
                report.Append("rolled back: storage and value unchanged\n");
            }
        }

        return state;
    }

    // Moves value between balances; false (with why) when the sender has less.
    private static bool TryMove(LocalNodeState state, Address from, Address to, System.Numerics.BigInteger value, out string shortfall)
    {
        shortfall = string.Empty;
        if (value.IsZero)
        {
            return true;
        }

        var balance = state.Balances.GetValueOrDefault(from);
        if (balance < value)
        {
            shortfall = $"balance of {from} is {balance}, less than the value {value}";
            return false;
        }

        state.Balances[from] = balance - value;
        state.Balances[to] = state.Balances.GetValueOrDefault(to) + value;
        return true;
    }

    // One line per slot whose contents changed: `storage 0x… <slot>: <old> -> <new>`.
    private static IEnumerable<string> StorageDiff(LocalNodeState before, LocalNodeState after)
    {
        foreach (var (account, slots) in after.Storage)
        {
            var old = before.Storage.GetValueOrDefault(account);
            foreach (var (slot, data) in slots)
            {
                var previous = old?.GetValueOrDefault(slot) ?? [];
                if (!previous.AsSpan().SequenceEqual(data))
                {
                    yield return $"storage {account} {slot}: {Short(previous)} -> {Short(data)}";
                }
            }
        }
    }

    private static string Short(byte[] data)
        => data.Length == 0 ? "(empty)"
            : data.Length <= 32 ? "0x" + Convert.ToHexStringLower(data)
            : "0x" + Convert.ToHexStringLower(data.AsSpan(0, 32)) + $"… ({data.Length} octets)";
}
