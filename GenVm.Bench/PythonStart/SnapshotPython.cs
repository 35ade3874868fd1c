using System.Diagnostics;
using GenVm.Wasm;
using GenVm.Wasm.Snapshots;
using GenVm.Wasm.Wasi;
using WasmEngine = GenVm.Wasm.Engine;

namespace GenVm.Bench.PythonStart;

/// <summary>
/// The warm in-process run through a snapshot: python-reactor.wasm is started once (<c>_initialize</c>,
/// <c>genvm_init</c>, recorded by <see cref="WasiStartupRecorder"/>) and captured; each timed run then restores the
/// snapshot into a new instance with a fresh WASI host and calls <see cref="Entry"/>: <c>genvm_run_unfinalized</c> (the
/// -c program, atexit callbacks, flushed streams, exit; no interpreter teardown, since the instance is discarded) when
/// the build exports it, else <c>genvm_run</c> (<c>Py_RunMain</c> including <c>Py_FinalizeEx</c>).
/// </summary>
internal static class SnapshotPython
{
    private const int GuestStackBytes = 256 * 1024 * 1024;

    /// <summary>Milliseconds: start-up and capture (once), then the best and the median of the restored runs, and the restore part of the best.</summary>
    public sealed record Result(string Entry, double StartupMs, double CaptureMs, double BestMs, double MedianMs, double BestRestoreMs, double BestCpuMs, double BestRestoreCpuMs, long SnapshotBytes);

    /// <summary>The run export of <paramref name="module"/> a restored run calls.</summary>
    public static string Entry(Module module) =>
        module.Exports.Any(e => e.Name == "genvm_run_unfinalized") ? "genvm_run_unfinalized" : "genvm_run";

    /// <summary>The guest's environment: the normal one plus a fixed hash seed (see <see cref="Configuration"/>).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment { get; } =
        [.. PythonRunner.GuestEnvironment, new("PYTHONHASHSEED", "0")];

    /// <summary>The fixed instant the start-up's clock reads see (mimalloc's seed, clock()'s origin, the time module's zone probe).</summary>
    public static DateTimeOffset BootTime { get; } = DateTimeOffset.UnixEpoch;

    public static Result Measure(PythonRunner runner, string cacheDirectory, int runs = 10)
    {
        Result? result = null;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = MeasureOnThread(runner, cacheDirectory, runs);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            },
            GuestStackBytes);
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InvalidOperationException("snapshot python run failed", failure);
    }

    /// <summary>
    /// The WASI configuration of every run. CPython draws its str-hash key from <c>random_get</c> during start-up
    /// unless PYTHONHASHSEED is set; a snapshot would freeze that per-execution draw, so the recorder refuses it
    /// (docs/decisions.md, "Instance snapshots") and this leg fixes the seed instead.
    /// </summary>
    public static WasiConfiguration Configuration(PythonRunner runner, Stream stdout, Stream stderr) => new()
    {
        Args = ["python", .. PythonRunner.GuestArguments],
        Environment = [.. Environment],
        Stdin = new MemoryStream(),
        Stdout = stdout,
        Stderr = stderr,
        Preopens = [WasiPreopen.FromHostDirectory(runner.StandardLibrary, "/py/std", true)],
    };

    private static Result MeasureOnThread(PythonRunner runner, string cacheDirectory, int runs)
    {
        var engine = new WasmEngine(new EngineConfig().WithCacheDirectory(cacheDirectory));
        var module = Module.FromBytes(engine, File.ReadAllBytes(runner.Reactor!), "python-reactor.wasm");
        var clock = Stopwatch.StartNew();
        using var startupOut = new MemoryStream();
        using var startupErr = new MemoryStream();
        using var startupHost = new WasiHost(Configuration(runner, startupOut, startupErr));
        using var startupStore = new Store(engine);
        var linker = new Linker(engine);
        var recorder = new WasiStartupRecorder(startupHost, BootTime);
        recorder.Define(linker);
        var started = linker.Instantiate(startupStore, module);
        started.GetFunction("_initialize")!.Invoke([]);
        var code = started.GetFunction("genvm_init")!.Invoke([])[0].I32;
        if (code != 0)
        {
            throw new InvalidOperationException($"genvm_init returned {code}: {System.Text.Encoding.UTF8.GetString(startupErr.ToArray())}");
        }

        var startup = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var wasi = recorder.Seal();
        using var snapshot = InstanceSnapshot.Capture(started);
        var capture = clock.Elapsed.TotalMilliseconds;

        var times = new List<double>();
        var best = double.MaxValue;
        var bestRestore = 0.0;
        var bestCpu = double.MaxValue;
        var bestRestoreCpu = 0.0;
        for (var i = 0; i < runs; i++)
        {
            var run = RunRestored(runner, snapshot, wasi);
            times.Add(run.Total);
            if (run.Total < best)
            {
                best = run.Total;
                bestRestore = run.Restore;
            }

            if (run.TotalCpu < bestCpu)
            {
                bestCpu = run.TotalCpu;
                bestRestoreCpu = run.RestoreCpu;
            }
        }

        times.Sort();
        return new Result(Entry(module), startup, capture, best, times[times.Count / 2], bestRestore, bestCpu, bestRestoreCpu, snapshot.MemoryBytes);
    }

    /// <summary>One restored run: wall and thread-CPU milliseconds in all and until the restored instance was ready.</summary>
    public static (double Total, double Restore, double TotalCpu, double RestoreCpu) RunRestored(PythonRunner runner, InstanceSnapshot snapshot, WasiStartupState wasi)
    {
        var cpu = Engine.CpuClock.ThreadSeconds();
        var clock = Stopwatch.StartNew();
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        using var host = new WasiHost(Configuration(runner, stdout, stderr));
        wasi.RequireCompatible(host);
        using var store = new Store(snapshot.Module.Engine);
        var linker = new Linker(snapshot.Module.Engine);
        host.Define(linker);
        var instance = snapshot.Instantiate(linker, store);
        var restore = clock.Elapsed.TotalMilliseconds;
        var restoreCpu = (Engine.CpuClock.ThreadSeconds() - cpu) * 1000;
        try
        {
            instance.GetFunction(Entry(snapshot.Module))!.Invoke([]);
        }
        catch (WasiExitException exit) when (exit.ExitCode == 0)
        {
        }

        var total = clock.Elapsed.TotalMilliseconds;
        var totalCpu = (Engine.CpuClock.ThreadSeconds() - cpu) * 1000;
        var output = System.Text.Encoding.UTF8.GetString(stdout.ToArray()).Trim();
        if (output != "2")
        {
            throw new InvalidOperationException($"restored python printed '{output}': {System.Text.Encoding.UTF8.GetString(stderr.ToArray())}");
        }

        return (total, restore, totalCpu, restoreCpu);
    }
}
