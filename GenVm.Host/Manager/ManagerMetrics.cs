using System.Diagnostics.Metrics;
using GenVm.Core.Modules;

namespace GenVm.Host.Manager;

/// <summary>
/// The manager's counters on a <see cref="Meter"/> named <c>GenVm.Manager</c>, plus the running totals
/// <c>GET /metrics</c> prints.
/// </summary>
internal sealed class ManagerMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "GenVm.Manager";

    private readonly Meter _meter;
    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _permitsInUse;
    private readonly Counter<long> _moduleCalls;
    private readonly Counter<long> _moduleFailures;
    private readonly long[] _moduleCallTotals = new long[2];
    private readonly long[] _moduleFailureTotals = new long[2];
    private long _startedTotal;
    private long _finishedTotal;
    private long _failedTotal;
    private long _running;
    private long _peakRunning;
    private long _permitsHeld;
    private double _durationSum;

    /// <summary>Creates the meter.</summary>
    public ManagerMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _started = _meter.CreateCounter<long>("genvm.manager.executions.started");
        _finished = _meter.CreateCounter<long>("genvm.manager.executions.finished");
        _duration = _meter.CreateHistogram<double>("genvm.manager.executions.duration", "s");
        _permitsInUse = _meter.CreateUpDownCounter<long>("genvm.manager.permits.in_use");
        _moduleCalls = _meter.CreateCounter<long>("genvm.manager.module.calls");
        _moduleFailures = _meter.CreateCounter<long>("genvm.manager.module.failures");
    }

    /// <summary>Executions started so far.</summary>
    public long Started => Interlocked.Read(ref _startedTotal);

    /// <summary>Executions finished so far.</summary>
    public long Finished => Interlocked.Read(ref _finishedTotal);

    /// <summary>Finished executions whose exit code was not 0.</summary>
    public long Failed => Interlocked.Read(ref _failedTotal);

    /// <summary>Executions running now.</summary>
    public long Running => Interlocked.Read(ref _running);

    /// <summary>The largest number of executions that ran at once.</summary>
    public long PeakRunning => Interlocked.Read(ref _peakRunning);

    /// <summary>Permits held by running executions.</summary>
    public long PermitsInUse => Interlocked.Read(ref _permitsHeld);

    /// <summary>Total run time of finished executions, in seconds.</summary>
    public double DurationSeconds => Volatile.Read(ref _durationSum);

    /// <summary>Calls of in-process executions into the <paramref name="kind"/> module.</summary>
    public long ModuleCalls(ModuleKind kind) => Interlocked.Read(ref _moduleCallTotals[(int)kind]);

    /// <summary>Of <see cref="ModuleCalls"/>, those that failed (an error answer or an exception).</summary>
    public long ModuleFailures(ModuleKind kind) => Interlocked.Read(ref _moduleFailureTotals[(int)kind]);

    /// <summary>
    /// Awaits <paramref name="call"/> and records it as one call of <paramref name="kind"/>: failed when it answers an
    /// error or throws (the exception goes on to the caller).
    /// </summary>
    public async Task<ModuleAnswer<T>> CountAsync<T>(ModuleKind kind, Task<ModuleAnswer<T>> call)
        where T : class
    {
        try
        {
            var answer = await call.ConfigureAwait(false);
            ModuleCall(kind, failed: !answer.IsOk);
            return answer;
        }
        catch
        {
            ModuleCall(kind, failed: true);
            throw;
        }
    }

    /// <summary>Records one module call and whether it failed.</summary>
    public void ModuleCall(ModuleKind kind, bool failed)
    {
        var tag = new KeyValuePair<string, object?>("module", kind == ModuleKind.Llm ? "llm" : "web");
        Interlocked.Increment(ref _moduleCallTotals[(int)kind]);
        _moduleCalls.Add(1, tag);
        if (failed)
        {
            Interlocked.Increment(ref _moduleFailureTotals[(int)kind]);
            _moduleFailures.Add(1, tag);
        }
    }

    /// <summary>Records a start holding <paramref name="permits"/>.</summary>
    public void ExecutionStarted(int permits)
    {
        Interlocked.Increment(ref _startedTotal);
        var running = Interlocked.Increment(ref _running);
        long peak;
        while (running > (peak = Interlocked.Read(ref _peakRunning)) && Interlocked.CompareExchange(ref _peakRunning, running, peak) != peak)
        {
        }

        Interlocked.Add(ref _permitsHeld, permits);
        _started.Add(1);
        _permitsInUse.Add(permits);
    }

    /// <summary>Records an end.</summary>
    public void ExecutionFinished(int permits, double seconds, int exitCode)
    {
        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref _finishedTotal);
        if (exitCode != 0)
        {
            Interlocked.Increment(ref _failedTotal);
        }

        Interlocked.Add(ref _permitsHeld, -permits);
        double current, updated;
        do
        {
            current = Volatile.Read(ref _durationSum);
            updated = current + seconds;
        }
        while (Interlocked.CompareExchange(ref _durationSum, updated, current) != current);
        _finished.Add(1, new KeyValuePair<string, object?>("exit_code", exitCode));
        _duration.Record(seconds);
        _permitsInUse.Add(-permits);
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
