using System.Net.Sockets;
using GenVm.Core.Host;
using GenVm.Core.Supervisor;
using GenVm.Wasm;
using Microsoft.Extensions.Options;

namespace GenVm.Core.Pool;

/// <summary>
/// Runs many executions in one process (the manager's in-process executor, and <c>genvm run</c> as one execution of
/// it). What the executions share: reusable large-stack wasm threads (<see cref="WasmWorkers"/>), one engine per
/// configuration and one compiled-module cache keyed by wasm hash and engine, backed by the on-disk compile cache,
/// so CPython is compiled (or loaded) once per process; and a cap over every execution's memory pools. What each
/// execution keeps to itself: its det and non-det pools (wasm-abi.md §12), its stdout and stderr, and its failures:
/// an unexpected exception ends that execution as an internal error (host-protocol.md §9, code 02 with the cause
/// chain) and never the process. Concurrency is the caller's (the manager's permits). Thread-safe.
/// </summary>
internal sealed class ExecutionPool : IDisposable
{
    private readonly ExecutionPoolOptions _options;
    private readonly TransactionEngines _engines;
    private readonly IVmInstanceFactory? _instanceFactory;
    private long _executions;
    private long _contained;

    /// <summary>Creates the pool from DI options; <paramref name="instanceFactory"/> replaces fresh instantiation (snapshots).</summary>
    public ExecutionPool(IOptions<ExecutionPoolOptions> options, IVmInstanceFactory? instanceFactory = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), instanceFactory)
    {
    }

    /// <summary>Creates the pool.</summary>
    public ExecutionPool(ExecutionPoolOptions options, IVmInstanceFactory? instanceFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _engines = new TransactionEngines(string.IsNullOrEmpty(options.CompileCacheDirectory) ? null : options.CompileCacheDirectory);
        Modules = new ModuleCache(options.CachedModules);
        Workers = new WasmWorkers(options.IdleThreads, options.ThreadStackBytes);
        var cap = options.ProcessMemoryCap > 0 ? options.ProcessMemoryCap : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        ProcessMemory = new ResourcePool(cap);

        // Snapshots are charged to the process cap like the executions' pools (docs/decisions.md "Python snapshots").
        Snapshots = instanceFactory is null && options.Snapshots
            ? new SnapshotInstanceFactory(options.SnapshotCapacity, string.IsNullOrEmpty(options.SnapshotDirectory) ? options.SnapshotAfterBoots : 0, ProcessMemory, string.IsNullOrEmpty(options.SnapshotDirectory) ? null : new FileSnapshotStore(new GenVm.Wasm.Snapshots.SnapshotCache(options.SnapshotDirectory)), options.NondetSnapshots, options.SnapshotAfterBoots)
            : null;
        _instanceFactory = instanceFactory ?? Snapshots;
    }

    /// <summary>The snapshot factory the pool made (<see cref="ExecutionPoolOptions.Snapshots"/>), or null.</summary>
    public SnapshotInstanceFactory? Snapshots { get; }

    /// <summary>The compiled modules shared by every execution.</summary>
    public ModuleCache Modules { get; }

    /// <summary>The reusable wasm threads.</summary>
    public WasmWorkers Workers { get; }

    /// <summary>The process-wide cap: the parent of every execution's det and non-det pools.</summary>
    public ResourcePool ProcessMemory { get; }

    /// <summary>Executions started.</summary>
    public long Executions => Interlocked.Read(ref _executions);

    /// <summary>Executions that an unexpected exception ended (contained as internal errors or failures).</summary>
    public long Contained => Interlocked.Read(ref _contained);

    /// <summary>
    /// Runs one transaction to its end: connects to the host (unless <see cref="ExecutionRequest.Host"/> is given),
    /// runs it and reports its result (host-protocol.md §7.1). <paramref name="cancellationToken"/> is the execution's
    /// termination: it ends as <c>VMError("timeout")</c> (wasm-abi.md §11). Never throws for a failure inside the
    /// execution.
    /// </summary>
    public async Task<ExecutionResult> RunAsync(ExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _executions);
        var capturedOut = request.Stdout is null ? new CaptureStream(_options.CapturedOutputBytes) : null;
        var capturedErr = request.Stderr is null ? new CaptureStream(_options.CapturedOutputBytes) : null;
        var options = new TransactionOptions
        {
            Stdout = request.Stdout ?? capturedOut,
            Stderr = request.Stderr ?? capturedErr,
            Sync = request.Sync,
            DebugMode = request.DebugMode,
            Permissions = request.Permissions,
            Llm = request.Llm,
            Web = request.Web,
            Runners = request.Runners,
            Log = request.Log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            PoolCapacity = _options.ExecutionMemory,
            MemoryCap = ProcessMemory,
            Modules = Modules,
            Workers = Workers,
            InstanceFactory = _instanceFactory,
        };

        TransactionOutcome? outcome = null;
        string? failure = null;
        HostConnection? owned = null;
        try
        {
            var host = request.Host;
            if (host is null)
            {
                var address = request.HostAddress ?? throw new ArgumentException("the request names no host", nameof(request));
                host = owned = await HostConnection.ConnectAsync(address, null, cancellationToken).ConfigureAwait(false);
            }

            outcome = await new TransactionSupervisor(_engines).RunAsync(host, request.Message, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HostProtocolException or IOException or SocketException or OperationCanceledException or ArgumentException)
        {
            // The host could not be reached or the result could not be delivered.
            failure = e.GetType().Name + ": " + e.Message;
        }
        catch (Exception e)
        {
            // Crash containment: whatever escaped the supervisor ends this execution only.
            Interlocked.Increment(ref _contained);
            failure = "internal error: " + e.GetType().Name + ": " + e.Message;
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (outcome?.Result.Kind == Protocol.ResultCode.InternalError)
        {
            Interlocked.Increment(ref _contained);
        }

        return new ExecutionResult
        {
            Outcome = outcome,
            Failure = failure,
            Stdout = capturedOut?.ToArray() ?? [],
            Stderr = capturedErr?.ToArray() ?? [],
            OutputTruncated = (capturedOut?.Truncated ?? false) || (capturedErr?.Truncated ?? false),
        };
    }

    /// <summary>Ends the idle wasm threads and drops the snapshots.</summary>
    public void Dispose()
    {
        Workers.Dispose();
        Snapshots?.Dispose();
    }
}
