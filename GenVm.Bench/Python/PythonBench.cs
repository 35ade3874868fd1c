using System.Diagnostics;
using System.Globalization;
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
/// <c>GenVm.Bench python [reps] [--cache DIR]</c> (issue 6, "Done when"): a storage-writing Python contract call
/// (<c>add</c> of <c>examples/counter.py</c>, packed runners from <c>GENVM_RUNNERS_DIR</c>) timed three ways: warm in
/// the in-process <see cref="ExecutionPool"/> (target &lt; 30 ms), as a fresh <c>genvm exec</c> process with a warm
/// compile cache (target &lt; 300 ms), and as a fresh process with a cold (empty) cache. The warm cache is
/// <c>--cache DIR</c> when given, else a scratch directory filled by <c>genvm precompile</c> and one exec run.
/// </summary>
internal static class PythonBench
{
    private const double InProcessTargetMs = 30;
    private const double FreshProcessTargetMs = 300;

    public static int Run(string[] args)
    {
        var reps = 5;
        string? cache = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--cache" && i + 1 < args.Length)
            {
                cache = args[++i];
            }
            else
            {
                reps = int.Parse(args[i], CultureInfo.InvariantCulture);
            }
        }

        return RunAsync(reps, cache).GetAwaiter().GetResult();
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
                var precompile = ChildProcess.Run(genvm, ["precompile", "--runners-dir", runnersDirectory], Env(warm), TimeSpan.FromMinutes(40));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm cache: genvm precompile {precompile.WallSeconds:F1} s wall (exit {precompile.ExitCode})"));
            }

            // The state after the deploy; each timed call adds 1 to it.
            var state = Path.Combine(scratch.FullName, "state.json");
            Exec(genvm, contract, ["--deploy", "--args", "[5]", "--state", state], warm, "deploy");
            Exec(genvm, contract, ["--method", "add", "--args", "[1]", "--state", state], warm, "warm-up");

            var freshWarm = new List<double>();
            var cold = new List<double>();
            for (var i = 0; i < reps; i++)
            {
                freshWarm.Add(Exec(genvm, contract, ["--method", "add", "--args", "[1]", "--state", state], warm, "fresh warm").WallSeconds * 1000);
            }

            for (var i = 0; i < Math.Max(1, reps / 3); i++)
            {
                var empty = Path.Combine(scratch.FullName, "cold-" + i.ToString(CultureInfo.InvariantCulture));
                cold.Add(Exec(genvm, contract, ["--method", "add", "--args", "[1]", "--state", state], empty, "cold").WallSeconds * 1000);
                Directory.Delete(empty, recursive: true);
            }

            var (first, inProcess) = await InProcessAsync(contract, runnersDirectory, warm, Math.Max(20, reps * 4));

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm in the in-process pool:     median {ExecutorBench.Median(inProcess),8:F1} ms  p90 {ExecutorBench.Percentile(inProcess, 0.9):F1} ms ({inProcess.Count} calls; the pool's first call {first:F0} ms)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fresh genvm exec, warm cache:    median {ExecutorBench.Median(freshWarm),8:F1} ms  min {freshWarm.Min():F1} ms ({freshWarm.Count} runs)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fresh genvm exec, cold cache:    median {ExecutorBench.Median(cold),8:F1} ms  ({cold.Count} runs)"));
            Console.WriteLine();
            var verdicts = new[]
            {
                Verdict($"warm in-process: {ExecutorBench.Median(inProcess):F1} ms (target < {InProcessTargetMs:F0} ms)", ExecutorBench.Median(inProcess) < InProcessTargetMs),
                Verdict($"fresh process, warm cache: {ExecutorBench.Median(freshWarm):F0} ms (target < {FreshProcessTargetMs:F0} ms)", ExecutorBench.Median(freshWarm) < FreshProcessTargetMs),
            };
            Console.WriteLine($"cold cache: {ExecutorBench.Median(cold) / 1000:F1} s (no target)");
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
    private static async Task<(double First, List<double> Warm)> InProcessAsync(string contractPath, string runnersDirectory, string cache, int count)
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
        for (var i = 0; i < count; i++)
        {
            var (next, ms) = await CallAsync(pool, runners, state, add);
            state = next;
            times.Add(ms);
        }

        return (first, times);
    }

    private static async Task<(LocalNodeState State, double Ms)> CallAsync(ExecutionPool pool, RunnerRegistry runners, LocalNodeState state, ExecArguments call)
    {
        var message = new TransactionMessage(call.Contract, call.Sender, call.Sender, 0, call.Value, call.Deploy, call.Datetime);
        var node = new LocalNode(state, call.Contract, CalldataCodec.Encode(call.Calldata), validator: false);
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
        return outcome.Result.Kind == ResultCode.Return
            ? (node.Working, ms)
            : throw new InvalidOperationException("the call failed: " + outcome.Result.Message);
    }

    private static ChildResult Exec(string genvm, string contract, string[] args, string cache, string what)
    {
        var result = ChildProcess.Run(genvm, ["exec", contract, .. args], Env(cache), TimeSpan.FromMinutes(10));
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
