using System.Diagnostics;
using System.Globalization;
using GenVm.Bench.Engine;

namespace GenVm.Bench.PythonStart;

/// <summary>
/// <c>GenVm.Bench python-start [reps]</c> (issue 4, "Done when"): times <c>print(1+1)</c> on the WASI CPython build
/// as whole processes, interleaved, medians of N repetitions: <c>genvm wasm run</c> with a warm compile cache
/// (precompiled, native when crossgen2 is available), with a cold cache (a new empty directory each time), with an
/// IL-only warm cache (for information), and node (default tiers) running the same python.wasm; plus the second
/// run inside one process, which restores a snapshot of the started interpreter (python-reactor.wasm,
/// <see cref="SnapshotPython"/>) when the build has one, and then also a fresh <c>genvm wasm run</c> that restores the
/// started interpreter from a warm snapshot file (<c>--snapshot-init</c>, warm compile cache). Targets: warm fresh process ≤ 1.0x node, warm in-process
/// &lt; 20 ms, cold &lt; 3 s.
/// </summary>
internal static class PythonStartBench
{
    private const double WarmRatioTarget = 1.0;
    private const double InProcessTargetMs = 20;
    private const double ColdTargetSeconds = 3;

    public static int Run(IReadOnlyList<string> args)
    {
        var runner = PythonRunner.Find();
        if (runner is null)
        {
            Console.Error.WriteLine("python-start: no CPython runner: set GENVM_PYTHON_RUNNER_DIR or run `bash runners/build-python.sh`");
            return 2;
        }

        if (args.Count > 0 && args[0] == "--in-process")
        {
            // Only the in-process runs, on the given (or a temporary) cache directory: for profiling.
            var directory = args.Count > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "genvm-python-start-inproc");
            var only = InProcessPython.Measure(runner, directory);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in-process: first run {only.FirstMs:F0} ms (module load {only.FirstLoadMs:F0} ms); second run {only.SecondMs:F1} ms (instantiate {only.SecondInstantiateMs:F1} ms + run); with Module.FromBytes {only.SecondWithLoadMs:F1} ms"));
            if (runner.Reactor is not null)
            {
                PrintSnapshot(SnapshotPython.Measure(runner, directory, runs: 40));
            }

            return 0;
        }

        var reps = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;

        var genvm = RepoLocator.FindGenVm();
        var scratch = Path.Combine(Path.GetTempPath(), "genvm-python-start-" + Environment.ProcessId);
        var warm = Path.Combine(scratch, "warm");
        var warmIl = Path.Combine(scratch, "warm-il");
        var snapshots = Path.Combine(scratch, "snapshots");
        Console.WriteLine($"python-start: print(1+1) on {runner.Wasm}");
        Console.WriteLine($"  genvm: {genvm}; {reps} repetitions each, interleaved; medians. {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        try
        {
            var precompile = Child(genvm, ["wasm", "precompile", runner.Wasm], warm, TimeSpan.FromMinutes(20));
            Console.WriteLine($"  precompile (warm cache): {precompile.WallSeconds:F1} s wall, {precompile.CpuSeconds:F1} s cpu: {precompile.Stdout.Trim().Split('\n')[^2].Trim()}");
            var precompileIl = Child(genvm, ["wasm", "precompile", "--il-only", runner.Wasm], warmIl, TimeSpan.FromMinutes(20));
            Console.WriteLine($"  precompile (IL-only cache): {precompileIl.WallSeconds:F1} s wall");
            if (runner.Reactor is not null)
            {
                // The snapshot leg runs python-reactor.wasm (the same objects, reactor link) from the same warm cache.
                var precompileReactor = Child(genvm, ["wasm", "precompile", runner.Reactor], warm, TimeSpan.FromMinutes(20));
                Console.WriteLine($"  precompile (warm cache, python-reactor.wasm): {precompileReactor.WallSeconds:F1} s wall");
                var build = Checked(Child(genvm, runner.GenVmSnapshotArguments(), warm, TimeSpan.FromMinutes(2), snapshots), "genvm snapshot build");
                Console.WriteLine($"  snapshot file (first run: start-up, capture, write): {build.WallSeconds:F2} s wall, {build.CpuSeconds:F2} s cpu, {SnapshotFileBytes(snapshots) / 1048576.0:F1} MiB");
            }

            var rows = new Dictionary<string, List<ChildResult>>
            {
                ["genvm, warm cache"] = [],
                ["genvm, warm IL-only cache"] = [],
                ["genvm, cold cache"] = [],
                ["node"] = [],
            };
            const string SnapshotRow = "genvm, warm + snapshot file";
            if (runner.Reactor is not null)
            {
                rows[SnapshotRow] = [];
            }

            for (var i = 0; i < reps; i++)
            {
                rows["node"].Add(Checked(ChildProcess.Run("node", runner.NodeArguments(), new Dictionary<string, string>(), TimeSpan.FromMinutes(2)), "node"));
                rows["genvm, warm cache"].Add(Checked(Child(genvm, runner.GenVmArguments(), warm, TimeSpan.FromMinutes(2)), "genvm warm"));
                if (runner.Reactor is not null)
                {
                    rows[SnapshotRow].Add(Checked(Child(genvm, runner.GenVmSnapshotArguments(), warm, TimeSpan.FromMinutes(2), snapshots), "genvm snapshot"));
                }

                rows["genvm, warm IL-only cache"].Add(Checked(Child(genvm, runner.GenVmArguments(), warmIl, TimeSpan.FromMinutes(2)), "genvm warm IL"));
                var coldDirectory = Path.Combine(scratch, "cold-" + i.ToString(CultureInfo.InvariantCulture));
                rows["genvm, cold cache"].Add(Checked(Child(genvm, runner.GenVmArguments(), coldDirectory, TimeSpan.FromMinutes(5)), "genvm cold"));
                Directory.Delete(coldDirectory, recursive: true);
            }

            var inProcess = InProcessPython.Measure(runner, warm);
            var snapshot = runner.Reactor is null ? null : SnapshotPython.Measure(runner, warm, runs: 20);
            var node = Median(rows["node"].Select(r => r.WallSeconds));
            Console.WriteLine();
            Console.WriteLine("case                          wall (s)   cpu (s)   vs node");
            foreach (var (name, results) in rows)
            {
                var wall = Median(results.Select(r => r.WallSeconds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {wall,9:F3} {Median(results.Select(r => r.CpuSeconds)),9:F3} {wall / node,8:F2}x"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in-process: first run {inProcess.FirstMs:F0} ms (module load {inProcess.FirstLoadMs:F0} ms); second run {inProcess.SecondMs:F1} ms (same Module: instantiate {inProcess.SecondInstantiateMs:F1} ms + run); second run with Module.FromBytes {inProcess.SecondWithLoadMs:F1} ms"));
            if (snapshot is not null)
            {
                PrintSnapshot(snapshot);
            }

            Console.WriteLine();

            var warmRatio = Median(rows["genvm, warm cache"].Select(r => r.WallSeconds)) / node;
            var cold = Median(rows["genvm, cold cache"].Select(r => r.WallSeconds));
            var verdicts = new List<bool>
            {
                Verdict($"fresh process, warm cache: {warmRatio:F2}x node (target <= {WarmRatioTarget:F1}x)", warmRatio <= WarmRatioTarget),
                snapshot is null
                    ? Verdict($"warm in-process second run: {inProcess.SecondMs:F1} ms (target < {InProcessTargetMs:F0} ms; no python-reactor.wasm, so no snapshot)", inProcess.SecondMs < InProcessTargetMs)
                    : Verdict($"warm in-process second run (snapshot restore + run): {snapshot.BestMs:F1} ms, cpu {snapshot.BestCpuMs:F1} ms (target < {InProcessTargetMs:F0} ms)", snapshot.BestMs < InProcessTargetMs),
                Verdict($"cold cache: {cold:F2} s (target < {ColdTargetSeconds:F0} s)", cold < ColdTargetSeconds),
            };
            if (rows.TryGetValue(SnapshotRow, out var snapshotRuns))
            {
                var snapshotRatio = Median(snapshotRuns.Select(r => r.WallSeconds)) / node;
                verdicts.Add(Verdict($"fresh process, warm cache + snapshot file: {snapshotRatio:F2}x node (target <= {WarmRatioTarget:F1}x)", snapshotRatio <= WarmRatioTarget));
            }

            var passed = verdicts.All(v => v);
            Console.WriteLine(passed ? "overall: PASS" : "overall: FAIL");
            return passed ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static void PrintSnapshot(SnapshotPython.Result snapshot) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in-process via snapshot: restore + {snapshot.Entry} {snapshot.BestMs:F1} ms best, {snapshot.MedianMs:F1} ms median (restore {snapshot.BestRestoreMs:F1} ms); cpu {snapshot.BestCpuMs:F1} ms best (restore {snapshot.BestRestoreCpuMs:F1} ms); start-up once {snapshot.StartupMs:F0} ms, capture {snapshot.CaptureMs:F1} ms, {snapshot.SnapshotBytes / 1048576.0:F0} MiB memory"));

    private static bool Verdict(string text, bool pass)
    {
        Console.WriteLine($"{(pass ? "PASS" : "FAIL")}  {text}");
        return pass;
    }

    // Every child gets its own snapshot folder (unused unless --snapshot-init) so no row touches the user's cache.
    private static ChildResult Child(string genvm, IEnumerable<string> args, string cacheDirectory, TimeSpan timeout, string? snapshotDirectory = null) =>
        ChildProcess.Run(genvm, args, new Dictionary<string, string> { ["GENVM_WASM_CACHE"] = cacheDirectory, ["GENVM_SNAPSHOT_CACHE"] = snapshotDirectory ?? "off" }, timeout);

    private static long SnapshotFileBytes(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, "*.gvms").Sum(f => new FileInfo(f).Length) : 0;

    private static ChildResult Checked(ChildResult result, string who) =>
        result.ExitCode == 0 && result.Stdout.Trim() == "2"
            ? result
            : throw new InvalidOperationException($"{who} failed (exit {result.ExitCode}): {result.Stdout}{result.Stderr}");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
