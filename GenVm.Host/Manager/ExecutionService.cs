using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenVm.Host.Manager;

/// <summary>
/// Starts, tracks, stops and collects executions (manager.md §4 <c>/genvm/*</c>, §5.1, §5.4). Executions of the
/// built-in version run on the in-process executor unless <see cref="ExecutionMode.Subprocess"/> is configured; other
/// versions (and <c>--reroute-to</c>) run <c>&lt;root&gt;/executor/&lt;version&gt;/bin/genvm</c>.
/// </summary>
internal sealed partial class ExecutionService : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<ulong, Execution> _executions = new();
    private readonly ManagerOptions _options;
    private readonly ManifestStore _manifest;
    private readonly PermitPool _permits;
    private readonly ModuleService _modules;
    private readonly ManagerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<ExecutionService> _logger;
    private readonly GenVm.Core.Pool.ExecutionPool? _pool;
    private readonly CancellationTokenSource _shutdown = new();
    private long _lastId;
    private int _disposed;
    private ITimer? _gcTimer;

    /// <summary>Creates the service.</summary>
    public ExecutionService(IOptions<ManagerOptions> options, ManifestStore manifest, PermitPool permits, ModuleService modules, ManagerMetrics metrics, TimeProvider time, ILogger<ExecutionService> logger, GenVm.Core.Pool.ExecutionPool? pool = null)
    {
        _pool = pool;
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _manifest = manifest;
        _permits = permits;
        _modules = modules;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>The tracked executions, by id.</summary>
    public IReadOnlyDictionary<ulong, Execution> Executions => _executions;

    /// <summary>
    /// The executor for <paramref name="major"/> at <paramref name="timestamp"/> (§5.2): the version name used for the
    /// record and the command to spawn, null for the in-process executor.
    /// </summary>
    /// <exception cref="ManagerException"><c>no compatible version found for major N</c>.</exception>
    public (string Version, IReadOnlyList<string>? Command) ResolveExecutor(uint major, DateTimeOffset timestamp)
    {
        var version = _manifest.Current.GetVersion(major, timestamp)
            ?? throw new ManagerException(string.Create(CultureInfo.InvariantCulture, $"no compatible version found for major {major}"));
        if (_options.RerouteTo.Length > 0)
        {
            return (_options.RerouteTo, [ExecutorPath(_options.RerouteTo)]);
        }

        var name = version.ToString();
        if (ExecutorVersion.TryParse(_options.BuiltInVersion, out var builtIn) && builtIn == version)
        {
            if (_options.ExecutionMode == ExecutionMode.InProcess)
            {
                return (name, null);
            }

            return (name, _options.BuiltInCommand.Length > 0 ? _options.BuiltInCommand : [Environment.ProcessPath ?? ExecutorPath(name)]);
        }

        return (name, [ExecutorPath(name)]);
    }

    /// <summary><c>&lt;root&gt;/executor/&lt;directory&gt;/bin/genvm</c>.</summary>
    public string ExecutorPath(string directory)
        => Path.Combine(ConfigTemplate.Expand(_options.Root, _options.BuiltInVersion), "executor", directory, "bin", "genvm");

    /// <summary>
    /// <c>POST /genvm/run</c>: picks the version, takes the permits (waiting in line, without a timeout, until the
    /// request is aborted), starts the execution and records it.
    /// </summary>
    /// <returns>The new <c>genvm_id</c>.</returns>
    public async Task<ulong> StartAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_modules.State(ModuleKind.Llm) != ModuleState.Running || _modules.State(ModuleKind.Web) != ModuleState.Running)
        {
            Log.ModulesNotRunning(_logger);
        }

        var (version, command) = ResolveExecutor(request.Major, request.Timestamp);
        var id = (ulong)Interlocked.Increment(ref _lastId);
        var permits = request.IsSync ? 1 : 2;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await _permits.AcquireAsync(permits, linked.Token).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var minutes = Math.Min(request.MaxExecutionMinutes, (ulong)TimeSpan.MaxValue.TotalMinutes / 2);
        var execution = new Execution(id, version, permits, request.CaptureOutput, now, now + TimeSpan.FromMinutes(minutes));
        try
        {
            var arguments = request.RunArguments(id);
            execution.Process = command is null
                ? InProcessExecution.Start(arguments, execution.Stdout, execution.Stderr, _modules.Llm, _modules.Web, _pool, ExecutorLog(execution), _metrics)
                : SubprocessExecution.Start(command, ["run", .. arguments], execution.Stdout, execution.Stderr, line => OnLogLine(execution, line));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            _permits.Release(permits);
            throw new ManagerException($"running genvm command {command?[0]}: {e.Message}");
        }

        _executions[id] = execution;
        _metrics.ExecutionStarted(permits);
        Log.Started(_logger, id, version);
        _ = ObserveAsync(execution);
        return id;
    }

    /// <summary>
    /// <c>GET /genvm/{id}</c>: the status record once the execution ended, else null. A non-null answer removes the
    /// execution (the destructive read of manager.md §4).
    /// </summary>
    public JsonObject? Fetch(ulong id)
    {
        if (!_executions.TryGetValue(id, out var execution) || execution.StatusSnapshot() is not { } status)
        {
            return null;
        }

        return _executions.TryRemove(KeyValuePair.Create(id, execution)) ? status : null;
    }

    /// <summary>
    /// <c>DELETE /genvm/{id}</c>: asks the execution to stop, waits up to <paramref name="waitTimeout"/>, then kills it.
    /// </summary>
    /// <returns>False for an unknown id.</returns>
    public async Task<bool> StopAsync(ulong id, TimeSpan waitTimeout)
    {
        if (!_executions.TryGetValue(id, out var execution) || execution.Process is not { } process)
        {
            return false;
        }

        if (process.Exited.IsCompleted)
        {
            return true;
        }

        Log.Stopping(_logger, id);
        process.Terminate();
        try
        {
            await process.Exited.WaitAsync(waitTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed run still counts as stopped.
        }

        return true;
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _gcTimer = _time.CreateTimer(_ => Collect(), null, _options.GcInterval, _options.GcInterval);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Graceful shutdown: stops waiting requests, asks every execution to stop, waits up to the shutdown grace and
    /// kills what is left, so no executor process outlives the manager.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_shutdown.IsCancellationRequested)
        {
            await _shutdown.CancelAsync().ConfigureAwait(false);
        }

        if (_gcTimer is not null)
        {
            await _gcTimer.DisposeAsync().ConfigureAwait(false);
        }

        var running = _executions.Values.Select(e => e.Process).OfType<IExecutionProcess>().Where(p => !p.Exited.IsCompleted).ToList();
        foreach (var process in running)
        {
            process.Terminate();
        }

        var all = Task.WhenAll(running.Select(p => p.Exited.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)));
        try
        {
            await all.WaitAsync(_options.ShutdownGrace, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            foreach (var process in running)
            {
                process.Kill();
            }

            await all.ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Registered as a singleton and as a hosted service: the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var execution in _executions.Values)
        {
            if (execution.Process is { } process)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }

        _shutdown.Dispose();
    }

    /// <summary>
    /// The periodic pass of manager.md §5.4: executions past their deadline are killed, and executions whose status
    /// already existed at the start of the pass are dropped, fetched or not.
    /// </summary>
    internal void Collect()
    {
        var now = _time.GetUtcNow();
        var finishedBefore = _executions.Values.Where(e => e.HasResult).ToList();
        foreach (var execution in _executions.Values)
        {
            if (!execution.HasResult && now > execution.StrictDeadline && execution.Process is { } process)
            {
                process.Terminate();
                process.Kill();
            }
        }

        foreach (var execution in finishedBefore)
        {
            if (_executions.TryRemove(KeyValuePair.Create(execution.Id, execution)))
            {
                Log.Collected(_logger, execution.Id);
            }
        }
    }

    private async Task ObserveAsync(Execution execution)
    {
        var process = execution.Process!;

        // The deadline is enforced on time (the reference waits for its next 60 s pass).
        using var deadline = new CancellationTokenSource(execution.StrictDeadline - execution.StartedAt, _time);
        using var onDeadline = deadline.Token.Register(() =>
        {
            Log.DeadlinePassed(_logger, execution.Id);
            process.Terminate();
            process.Kill();
        });
        int exitCode;
        try
        {
            exitCode = await process.Exited.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.Failed(_logger, execution.Id, e);
            exitCode = -1;
            execution.AddLog(new JsonObject { ["level"] = "error", ["message"] = "execution failed", ["error"] = e.Message });
        }

        // Counted as ended before its permits go back, so the next execution's start cannot overlap it in the running
        // gauge (a peak above the permits); the record completes last, once the counters and permits are settled.
        var finished = _time.GetUtcNow();
        _metrics.ExecutionFinished(execution.Permits, (finished - execution.StartedAt).TotalSeconds, exitCode);
        _permits.Release(execution.Permits);
        execution.Finish(exitCode, finished);
        Log.Finished(_logger, execution.Id, exitCode);
    }

    // The in-process executor's log: the lines a process would write to its --log-fd pipe, handled the same way.
    private ExecutionLogger ExecutorLog(Execution execution)
        => new(typeof(GenVm.Host.Verbs.RunVerb).FullName!, ExecutionLogger.DefaultMinimum, line => OnLogLine(execution, line));

    private void OnLogLine(Execution execution, string line)
    {
        var record = ExecutorLogLine.Parse(line);
        if (execution.CaptureOutput)
        {
            execution.AddLog(record);
            return;
        }

        var level = record["level"]?.GetValue<string>() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        };
        Log.ExecutorLog(_logger, level, execution.Id, record.ToJsonString());
    }
}
