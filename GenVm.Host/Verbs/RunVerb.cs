using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Messages;
using GenVm.Core.Modules;
using GenVm.Core.Pool;
using GenVm.Core.Protocol;
using GenVm.Core.Supervisor;
using GenVm.Host.Configuration;
using GenVm.Modules.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm run --host &lt;addr&gt; --message &lt;json&gt; [--print=result|none] [--debug-mode] [--host-data &lt;json&gt;]</c>:
/// runs one transaction against a host (host-protocol.md §7) and prints the result line (§9, calldata.md §9.1).
/// SIGTERM/SIGINT cancel the run, which then ends as <c>VMError("timeout")</c> (wasm-abi.md §11).
/// Exit code 0 once a result was reported, 1 when the host cannot be reached or the result cannot be delivered,
/// 2 on bad usage. The run is one execution of an <see cref="ExecutionPool"/>: the process's pool from DI (the
/// manager's in-process executions share it), else one pool per process.
/// </summary>
internal sealed partial class RunVerb : IVerb
{
    private const string Usage =
        "usage: genvm run --host <unix://path|host:port> --message <json> [--print result|fingerprint|stderr-full|none]... [--sync] [--permissions rwscn] [--debug-mode] [--host-data <json>] [--cookie <id>]";

    private readonly Func<Stream> _stdout;
    private readonly Func<Stream> _stderr;
    private readonly IServiceProvider? _services;
    private readonly Lazy<ILogger> _logger = new(NullLogger<RunVerb>.Instance);
    private readonly Lazy<string?> _runnersDirectory = new((string?)null);

    /// <summary>Uses the process's standard streams and the modules registered in <paramref name="services"/>.</summary>
    public RunVerb(IServiceProvider services)
        : this(Console.OpenStandardOutput, Console.OpenStandardError)
    {
        // Resolved per run, not here: every verb is constructed for dispatch, and an in-process module starts Lua.
        // The logger too: building the logger factory (console provider, its thread) is start-up time that the
        // other verbs should not pay (docs/decisions.md, "Host start-up").
        _services = services;
        _logger = new Lazy<ILogger>(() => services.GetService<ILoggerFactory>()?.CreateLogger<RunVerb>() ?? NullLogger<RunVerb>.Instance);
        _runnersDirectory = new Lazy<string?>(() => services.GetService<Microsoft.Extensions.Configuration.IConfiguration>()?["runners_dir"]);
    }

    /// <summary>The pool the run is an execution of; null uses the one registered in DI, else <see cref="DefaultPool"/>.</summary>
    internal ExecutionPool? Pool { get; init; }

    /// <summary>The process's pool when none comes from DI (tests, embedders): default options, the CLI's compile cache.</summary>
    internal static ExecutionPool DefaultPool => LazyDefaultPool.Value;

    private static Lazy<ExecutionPool> LazyDefaultPool { get; } =
        new(() => new ExecutionPool(new ExecutionPoolOptions { CompileCacheDirectory = CompileCacheDirectory.Resolve(), SnapshotDirectory = SnapshotCacheDirectory.Resolve() }));

    /// <summary>The runners directory from the configuration (<c>runners_dir</c>, config.md §2); null uses the default.</summary>
    internal string? RunnersDirectory
    {
        get => _runnersDirectory.Value;
        init => _runnersDirectory = new Lazy<string?>(value);
    }

    /// <summary>Uses the given streams (tests).</summary>
    internal RunVerb(Func<Stream> stdout, Func<Stream> stderr)
    {
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>
    /// The executor's log (config.md §5): the <c>--log-fd</c> sink in a process; the manager hands an in-process run a
    /// logger that feeds the execution's <c>genvm_log</c> (manager.md §4 <c>/genvm/run</c> step 6).
    /// </summary>
    internal ILogger Logger
    {
        get => _logger.Value;
        init => _logger = new Lazy<ILogger>(value);
    }

    /// <summary>The LLM module given to the run (tests; otherwise from configuration).</summary>
    internal GenVm.Core.Modules.ILlmModule? Llm { get; init; }

    /// <summary>The web module given to the run (tests; otherwise from configuration).</summary>
    internal GenVm.Core.Modules.IWebModule? Web { get; init; }

    /// <summary>
    /// Wraps the LLM module of this run's session (the manager counts calls for <c>/metrics</c>). It wraps the session,
    /// not the module itself, so the session still recognises the in-process module and gives it the Hello and ledger.
    /// </summary>
    internal Func<GenVm.Core.Modules.ILlmModule, GenVm.Core.Modules.ILlmModule>? WrapLlm { get; init; }

    /// <summary>Wraps the web module of this run's session, like <see cref="WrapLlm"/>.</summary>
    internal Func<GenVm.Core.Modules.IWebModule, GenVm.Core.Modules.IWebModule>? WrapWeb { get; init; }

    /// <summary>The runner registry (tests; otherwise the default one).</summary>
    internal GenVm.Core.Runners.RunnerRegistry? Runners { get; init; }

    public string Name => "run";

    public string Summary => "run a transaction against a host: run --host <addr> --message <json> [--print=result]";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        TerminationSignals.RunAsync(token => RunCoreAsync(args, token), cancellationToken);

    /// <summary>Runs the verb; <paramref name="cancellationToken"/> plays the role of the termination signal.</summary>
    internal async Task<int> RunCoreAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var stdout = _stdout();
        using var stderr = new StreamWriter(_stderr(), new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true };
        if (!RunArguments.TryParse(args, out var parsed, out var error))
        {
            stderr.WriteLine($"genvm run: {error}");
            stderr.WriteLine(Usage);
            return 2;
        }

        TransactionMessage message;
        var hostData = CalldataMap.Empty;
        try
        {
            // host-protocol.md §1.1: host data must name node_address and tx_id; checked only when given (decisions.md).
            if (parsed.HostData is { } hostDataJson)
            {
                hostData = HostData.Parse(hostDataJson).Value;
            }

            message = MessageJson.Parse(parsed.Message);
        }
        catch (MessageFormatException e)
        {
            stderr.WriteLine($"genvm run: bad --message or --host-data: {e.Message}");
            return 2;
        }

        GenVm.Core.Runners.RunnerRegistry? runners;
        try
        {
            runners = Runners ?? (string.IsNullOrEmpty(RunnersDirectory) ? null : GenVm.Core.Runners.RunnerRegistry.Open(RunnersDirectory));
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"genvm run: bad runners directory {RunnersDirectory}: {e.Message}");
            return 1;
        }

        if (!ExecutorModuleResolver.TryResolve(_services, Llm, Web, out var llm, out var web, out var moduleError))
        {
            stderr.WriteLine($"genvm run: {moduleError}");
            return 1;
        }

        // modules.md §2.3: every module connection of this run opens with this Hello.
        var cookie = parsed.Cookie ?? RunCookie.Generate();
        await using var modules = ModuleSession.Open(llm, web, new ModuleHello(cookie, hostData), Logger);
        Log.Started(Logger, cookie, parsed.Sync);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var execution = await (Pool ?? _services?.GetService<ExecutionPool>() ?? DefaultPool).RunAsync(
            new ExecutionRequest
            {
                HostAddress = parsed.Host,
                Message = message,
                Stdout = stdout,
                Stderr = _stderr(),
                Sync = parsed.Sync,
                DebugMode = parsed.DebugMode,
                Permissions = parsed.Permissions,
                Llm = modules.Llm is { } sessionLlm && WrapLlm is { } wrapLlm ? wrapLlm(sessionLlm) : modules.Llm,
                Web = modules.Web is { } sessionWeb && WrapWeb is { } wrapWeb ? wrapWeb(sessionWeb) : modules.Web,
                Runners = runners,
                Log = Logger,
            },
            cancellationToken).ConfigureAwait(false);
        if (execution.Outcome is not { } outcome)
        {
            Log.HostFailed(Logger, execution.Failure);
            if (parsed.PrintStderrFull)
            {
                stderr.WriteLine(OutcomeText.FormatFull(null, execution.Failure));
            }

            stderr.WriteLine($"genvm run: {execution.Failure}");
            return 1;
        }

        // host-protocol.md §1.1 --print stderr-full: the whole run result on stderr, before the result line.
        if (parsed.PrintStderrFull)
        {
            stderr.WriteLine(OutcomeText.FormatFull(outcome, null));
        }

        var result = outcome.Result;
        Log.Finished(Logger, result.Kind.ToString(), (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (result.Kind is ResultCode.VmError or ResultCode.InternalError)
        {
            Log.VmError(Logger, result.Message);
        }

        var lines = OutcomeText.Format(outcome, parsed.PrintResult, parsed.PrintFingerprint);
        if (lines.Length > 0)
        {
            await stdout.WriteAsync(Encoding.UTF8.GetBytes(lines), CancellationToken.None).ConfigureAwait(false);
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        // host-protocol.md §9: the cause chain of an error goes to stderr, not stdout.
        if (result.Kind is ResultCode.VmError or ResultCode.InternalError)
        {
            stderr.WriteLine(result.Message);
        }

        return 0;
    }
}
