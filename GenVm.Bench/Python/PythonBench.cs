using System.Diagnostics;
using System.Globalization;
using GenVm.Wasm.Snapshots;
using GenVm.Bench.Engine;
using GenVm.Bench.Executor;
using GenVm.Core.Calldata;
using GenVm.Core.LocalNode;
using GenVm.Core.Messages;
using GenVm.Core.Pool;
using GenVm.Core.Protocol;
using GenVm.Core.Runners;
using GenVm.Core.Supervisor;
using GenVm.Host.Verbs;

namespace GenVm.Bench.Python;

/// <summary>
/// <c>GenVm.Bench python [reps] [--cache DIR] [--nondet-only]</c> (issue 6, "Done when"): a storage-writing Python contract call
/// (<c>add</c> of <c>examples/counter.py</c>, packed runners from <c>GENVM_RUNNERS_DIR</c>) timed three ways: warm in
/// the in-process <see cref="ExecutionPool"/> (target &lt; 30 ms), as a fresh <c>genvm exec</c> process with a warm
/// compile cache and a warm snapshot file of the started interpreter (target &lt; 300 ms; also without the file), and as a fresh process with a cold (empty) cache. The warm cache is
/// <c>--cache DIR</c> when given, else a scratch directory precompiled (native) for the executor's soft-float det
/// configuration, then one exec run. Two more rows time a call with one nondet block (<c>strict</c> of
/// <c>examples/nondet_sum.py</c>) as leader and as validator in the pool, and count how its reactor VMs started
/// (<c>--nondet-only</c> prints just those).
/// </summary>
internal static class PythonBench
{
    private const double InProcessTargetMs = 30;
    private const double FreshProcessTargetMs = 300;

    public static int Run(string[] args)
    {
        var reps = 5;
        string? cache = null;
        var nondetOnly = false;
        var nondetBoot = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--cache" && i + 1 < args.Length)
            {
                cache = args[++i];
            }
            else if (args[i] == "--nondet-only")
            {
                nondetOnly = true;
            }
            else if (args[i] == "--nondet-boot")
            {
                nondetOnly = true;
                nondetBoot = true;
            }
            else
            {
                reps = int.Parse(args[i], CultureInfo.InvariantCulture);
            }
        }

        return nondetOnly ? NondetOnlyAsync(reps, cache, nondetBoot).GetAwaiter().GetResult() : RunAsync(reps, cache).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int reps, string? cache)
    {
        var runnersDirectory = RunnerPaths.DefaultRunnersDirectory;
        if (!File.Exists(Path.Combine(runnersDirectory, "runners-manifest.json")) && !Directory.Exists(runnersDirectory))
        {
            Console.Error.WriteLine($"python: no packed runners in {runnersDirectory}: set GENVM_RUNNERS_DIR (runners/build-runners.sh)");
            return 2;
        }

        var contract = Path.Combine(RepoLocator.Root, "examples", "counter.py");
        var genvm = RepoLocator.FindGenVm();
        var scratch = Directory.CreateTempSubdirectory("genvm-bench-python-");
        Console.WriteLine($"python: `add` of {contract} (storage writes: u256 and a TreeMap entry), runners {runnersDirectory}");
        Console.WriteLine($"  genvm: {genvm}; {Environment.ProcessorCount} cores, load average {ExecutorBench.LoadAverage()}");
        try
        {
            var warm = cache ?? Path.Combine(scratch.FullName, "warm");
            if (cache is null)
            {
                // The executor runs our CPython's det VMs with the soft-float configuration (TransactionEngines): that is
                // the cache entry a node's `genvm precompile` leaves for this call.
                var clock = Stopwatch.StartNew();
                var precompiler = new Precompiler(Console.Out, Console.Error)
                {
                    CacheDirectory = warm,
                    Configurations = [("executor det softfloat", TransactionEngines.DetSoftFloatConfig())],
                };
                var failures = precompiler.Run([runnersDirectory]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm cache: precompiled in {clock.Elapsed.TotalSeconds:F1} s (exit {failures})"));
            }

            // The state after the deploy; each timed call adds 1 to it.
            var state = Path.Combine(scratch.FullName, "state.json");
            Exec(genvm, contract, ["--deploy", "--args", "[5]", "--state", state], warm, "deploy");
            Exec(genvm, contract, ["--method", "add", "--args", "[1]", "--state", state], warm, "warm-up");

            var freshWarm = new List<ChildResult>();
            var freshNoFile = new List<ChildResult>();
            var cold = new List<ChildResult>();
            for (var i = 0; i < reps; i++)
            {
                freshWarm.Add(Exec(genvm, contract, ["--method", "add", "--args", "[1]", "--state", state], warm, "fresh warm"));
                freshNoFile.Add(Exec(genvm, contract, ["--method", "add", "--args", "[1]", "--state", state], warm, "fresh warm, no snapshot file", snapshots: "off"));
            }

            for (var i = 0; i < Math.Max(1, reps / 3); i++)
            {
                var empty = Path.Combine(scratch.FullName, "cold-" + i.ToString(CultureInfo.InvariantCulture));
                cold.Add(Exec(genvm, contract, ["--method", "add", "--args", "[1]", "--state", state], empty, "cold", snapshots: "off"));
                Directory.Delete(empty, recursive: true);
            }

            var measured = await InProcessAsync(contract, runnersDirectory, warm, Math.Max(20, reps * 4));
            var inProcess = measured.WallMs;
            var nondet = await NondetAsync(runnersDirectory, warm, Math.Max(6, reps * 2));

            // Wall time on a shared machine includes waiting for a core; CPU time (all threads) does not.
            Console.WriteLine();
            Console.WriteLine("case                              wall median      cpu median");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm in the in-process pool     {ExecutorBench.Median(inProcess),10:F1} ms   {ExecutorBench.Median(measured.CpuMs),10:F1} ms   ({inProcess.Count} calls, wall p90 {ExecutorBench.Percentile(inProcess, 0.9):F1} ms; first call of the pool {measured.FirstMs:F0} ms; {measured.Cache})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nondet block, leader, in pool   {ExecutorBench.Median(nondet.LeaderWallMs),10:F1} ms   {ExecutorBench.Median(nondet.LeaderCpuMs),10:F1} ms   ({nondet.LeaderWallMs.Count} calls of strict_eq in examples/nondet_sum.py; {nondet.Vms})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nondet block, validator, in pool{ExecutorBench.Median(nondet.ValidatorWallMs),10:F1} ms   {ExecutorBench.Median(nondet.ValidatorCpuMs),10:F1} ms   ({nondet.ValidatorWallMs.Count} calls)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fresh genvm exec, warm cache    {ExecutorBench.Median(freshWarm.Select(r => r.WallSeconds * 1000).ToArray()),10:F1} ms   {ExecutorBench.Median(freshWarm.Select(r => r.CpuSeconds * 1000).ToArray()),10:F1} ms   ({freshWarm.Count} runs)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  same, no snapshot file         {ExecutorBench.Median(freshNoFile.Select(r => r.WallSeconds * 1000).ToArray()),10:F1} ms   {ExecutorBench.Median(freshNoFile.Select(r => r.CpuSeconds * 1000).ToArray()),10:F1} ms   ({freshNoFile.Count} runs)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fresh genvm exec, cold cache    {ExecutorBench.Median(cold.Select(r => r.WallSeconds * 1000).ToArray()),10:F1} ms   {ExecutorBench.Median(cold.Select(r => r.CpuSeconds * 1000).ToArray()),10:F1} ms   ({cold.Count} runs)"));
            Console.WriteLine();
            var verdicts = new[]
            {
                Verdict($"warm in-process: {ExecutorBench.Median(inProcess):F1} ms (target < {InProcessTargetMs:F0} ms)", ExecutorBench.Median(inProcess) < InProcessTargetMs),
                Verdict($"fresh process, warm cache: {ExecutorBench.Median(freshWarm.Select(r => r.WallSeconds * 1000).ToArray()):F0} ms (target < {FreshProcessTargetMs:F0} ms)", ExecutorBench.Median(freshWarm.Select(r => r.WallSeconds * 1000).ToArray()) < FreshProcessTargetMs),
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold cache: {ExecutorBench.Median(cold.Select(r => r.WallSeconds).ToArray()):F1} s wall (no target)"));
            var passed = verdicts.All(v => v);
            Console.WriteLine(passed ? "overall: PASS" : "overall: FAIL");
            return passed ? 0 : 1;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    // Timed calls of `add` as executions of one pool, each against a fresh embedded node holding the previous state.
    private static async Task<(double FirstMs, List<double> WallMs, List<double> CpuMs, string Cache)> InProcessAsync(string contractPath, string runnersDirectory, string cache, int count)
    {
        var code = await File.ReadAllBytesAsync(contractPath);
        if (!ExecArguments.TryParse([contractPath, "--method", "add", "--args", "[1]"], out var add, out var error)
            || !ExecArguments.TryParse([contractPath, "--deploy", "--args", "[5]"], out var deploy, out error))
        {
            throw new InvalidOperationException(error);
        }

        var state = new LocalNodeState();
        state.Write(add.Contract, SlotId.Code, 0, BitConverter.GetBytes((uint)code.Length));
        state.Write(add.Contract, SlotId.Code, 4, code);
        using var pool = new ExecutionPool(new ExecutionPoolOptions { CompileCacheDirectory = cache });
        var runners = RunnerRegistry.Open(runnersDirectory);

        state = (await CallAsync(pool, runners, state, deploy)).State;
        var clock = Stopwatch.StartNew();
        state = (await CallAsync(pool, runners, state, add)).State;
        var first = clock.Elapsed.TotalMilliseconds;
        var times = new List<double>();
        var cpu = new List<double>();
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i < count; i++)
        {
            self.Refresh();
            var cpuBefore = self.TotalProcessorTime;
            var (next, ms) = await CallAsync(pool, runners, state, add);
            self.Refresh();
            cpu.Add((self.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            state = next;
            times.Add(ms);
        }

        var stats = string.Create(CultureInfo.InvariantCulture, $"module cache hits {pool.Modules.Hits}, misses {pool.Modules.Misses}; wasm threads started {pool.Workers.Started}");
        return (first, times, cpu, stats);
    }

    // `--nondet-only`: just the nondet rows (no child processes), on the given cache or the default compile cache;
    // `--nondet-boot`: the same with ExecutionPoolOptions.NondetSnapshots off (every non-det VM boots).
    private static async Task<int> NondetOnlyAsync(int reps, string? cache, bool boot)
    {
        var scratch = Directory.CreateTempSubdirectory("genvm-bench-python-");
        try
        {
            Console.WriteLine($"python nondet: {Environment.ProcessorCount} cores, load average {ExecutorBench.LoadAverage()}");
            var nondet = await NondetAsync(RunnerPaths.DefaultRunnersDirectory, cache ?? CompileCacheDirectory.Resolve() ?? scratch.FullName, Math.Max(6, reps * 2), nondetSnapshots: !boot);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nondet block, leader, in pool   {ExecutorBench.Median(nondet.LeaderWallMs),10:F1} ms   {ExecutorBench.Median(nondet.LeaderCpuMs),10:F1} ms   ({nondet.LeaderWallMs.Count} calls of strict_eq in examples/nondet_sum.py; {nondet.Vms})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nondet block, validator, in pool{ExecutorBench.Median(nondet.ValidatorWallMs),10:F1} ms   {ExecutorBench.Median(nondet.ValidatorCpuMs),10:F1} ms   ({nondet.ValidatorWallMs.Count} calls)"));
            Console.WriteLine($"load average after: {ExecutorBench.LoadAverage()}");
            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    // Calls of `strict` of examples/nondet_sum.py (one strict_eq block: the det VM plus one non-det VM per call), as
    // leader and as validator, on a pool of their own; counts how the timed calls' reactor VMs started.
    private static async Task<(List<double> LeaderWallMs, List<double> LeaderCpuMs, List<double> ValidatorWallMs, List<double> ValidatorCpuMs, string Vms)> NondetAsync(string runnersDirectory, string cache, int count, bool nondetSnapshots = true)
    {
        var contractPath = Path.Combine(RepoLocator.Root, "examples", "nondet_sum.py");
        var code = await File.ReadAllBytesAsync(contractPath);
        if (!ExecArguments.TryParse([contractPath, "--method", "strict", "--args", "[100]"], out var strict, out var error)
            || !ExecArguments.TryParse([contractPath, "--deploy"], out var deploy, out error))
        {
            throw new InvalidOperationException(error);
        }

        var state = new LocalNodeState();
        state.DeployCode(strict.Contract, code);
        using var pool = new ExecutionPool(new ExecutionPoolOptions { CompileCacheDirectory = cache, NondetSnapshots = nondetSnapshots });
        var runners = RunnerRegistry.Open(runnersDirectory);
        state = (await CallAsync(pool, runners, state, deploy)).State;

        // Warm-up: one leader and one validator call (the first non-det VM of the pool boots in any case).
        var (leaderState, _, posted) = await NondetCallAsync(pool, runners, state, strict, validator: false);
        var validatorState = leaderState.Clone();
        validatorState.LeaderResults.Clear();
        validatorState.LeaderResults.AddRange(posted);
        await NondetCallAsync(pool, runners, validatorState, strict, validator: true);

        var factory = pool.Snapshots;
        var (boots, restores) = (factory?.NondetBoots ?? 0, factory?.NondetRestores ?? 0);
        var result = (LeaderWall: new List<double>(), LeaderCpu: new List<double>(), ValidatorWall: new List<double>(), ValidatorCpu: new List<double>());
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i < count; i++)
        {
            foreach (var validator in (bool[])[false, true])
            {
                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                var (_, ms, _) = await NondetCallAsync(pool, runners, validator ? validatorState : leaderState, strict, validator);
                self.Refresh();
                (validator ? result.ValidatorCpu : result.LeaderCpu).Add((self.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                (validator ? result.ValidatorWall : result.LeaderWall).Add(ms);
            }
        }

        var vms = factory is null
            ? "snapshots off"
            : string.Create(CultureInfo.InvariantCulture, $"timed calls' non-det VMs: {factory.NondetBoots - boots} booted, {factory.NondetRestores - restores} restored");
        return (result.LeaderWall, result.LeaderCpu, result.ValidatorWall, result.ValidatorCpu, vms);
    }

    private static async Task<(LocalNodeState State, double Ms, List<byte[]> Posted)> NondetCallAsync(ExecutionPool pool, RunnerRegistry runners, LocalNodeState state, ExecArguments call, bool validator)
    {
        var node = new LocalNode(state, call.Contract, CalldataCodec.Encode(call.Calldata), validator);
        var (outcome, ms) = await RunOnPoolAsync(pool, runners, node, call);
        return outcome.Result.Kind == ResultCode.Return && node.Disagreement is null
            ? (node.Working, ms, [.. node.PostedLeaderResults.Values])
            : throw new InvalidOperationException($"the nondet call failed: {outcome.Result.Message} (disagreement {node.Disagreement})");
    }

    private static async Task<(LocalNodeState State, double Ms)> CallAsync(ExecutionPool pool, RunnerRegistry runners, LocalNodeState state, ExecArguments call)
    {
        var node = new LocalNode(state, call.Contract, CalldataCodec.Encode(call.Calldata), validator: false);
        var (outcome, ms) = await RunOnPoolAsync(pool, runners, node, call);
        return outcome.Result.Kind == ResultCode.Return
            ? (node.Working, ms)
            : throw new InvalidOperationException("the call failed: " + outcome.Result.Message);
    }

    // One timed execution of `call` in the pool against `node` (the embedded host), in debug mode.
    private static async Task<(TransactionOutcome Outcome, double Ms)> RunOnPoolAsync(ExecutionPool pool, RunnerRegistry runners, LocalNode node, ExecArguments call)
    {
        var message = new TransactionMessage(call.Contract, call.Sender, call.Sender, 0, call.Value, call.Deploy, call.Datetime);
        var clock = Stopwatch.StartNew();
        var outcome = await LocalRun.RunAsync(
            node,
            async (host, token) =>
            {
                var execution = await pool.RunAsync(new ExecutionRequest { Host = host, Message = message, DebugMode = true, Runners = runners }, token);
                return execution.Outcome ?? throw new InvalidOperationException(execution.Failure);
            },
            CancellationToken.None);
        var ms = clock.Elapsed.TotalMilliseconds;
        return (outcome, ms);
    }

    // The warm rows use a snapshot folder of their own (the deploy and warm-up runs write its file); "off" runs boot CPython.
    private static ChildResult Exec(string genvm, string contract, string[] args, string cache, string what, string? snapshots = null)
    {
        var env = Env(cache);
        env[GenVm.Host.Verbs.SnapshotCacheDirectory.Variable] = snapshots ?? Path.Combine(cache, "..", "snapshots");
        var result = ChildProcess.Run(genvm, ["exec", contract, .. args], env, TimeSpan.FromMinutes(10));
        return result.ExitCode == 0 && result.Stdout.Contains("executed with `Return", StringComparison.Ordinal)
            ? result
            : throw new InvalidOperationException($"genvm exec ({what}) failed (exit {result.ExitCode}): {result.Stdout}{result.Stderr}");
    }

    private static Dictionary<string, string> Env(string cache) => new() { [CompileCacheDirectory.Variable] = cache };

    private static bool Verdict(string text, bool pass)
    {
        Console.WriteLine($"{(pass ? "PASS" : "FAIL")}  {text}");
        return pass;
    }
}
