namespace GenVm.Bench.Engine;

/// <summary>
/// <c>GenVm.Bench engine [--reps N] [kernel...]</c>: C kernels (kernels/*.c, built with clang-19 for wasm32-wasi) run
/// as whole processes by <c>genvm wasm run</c> and by node with TurboFan only, interleaved, N repetitions each
/// (median reported). Both must print the same checksum. A kernel passes when ours/node ≤ 1.5 on median wall time.
/// Also runs each kernel in-process with a warm engine to split our time into compile and run.
/// Always exits 0: it is a report.
/// </summary>
internal static class EngineBench
{
    private const double PassRatio = 1.5;

    private static readonly IReadOnlyDictionary<string, string> NoEnv = new Dictionary<string, string>();

    public static int Run(IReadOnlyList<string> args)
    {
        var (reps, selected) = KernelArguments.Parse(args, defaultRepetitions: 3);
        var sources = selected
            .OrderBy(p => Order(Path.GetFileNameWithoutExtension(p)))
            .ToList();
        var genvm = RepoLocator.FindGenVm();
        Console.WriteLine($"engine: C kernels, genvm wasm run vs node {ChildProcess.Run("node", ["--version"], NoEnv, TimeSpan.FromMinutes(1)).Stdout.Trim()} --no-liftoff");
        Console.WriteLine($"  genvm: {genvm}");
        Console.WriteLine($"  clang-19 {KernelToolchain.CFlags}, cache {KernelToolchain.CacheDirectory}");
        Console.WriteLine($"  {reps} repetitions each, interleaved; medians. {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        if (Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList() is { Count: > 0 } knobs)
        {
            Console.WriteLine("  DOTNET_ settings in effect (inherited by genvm): " + string.Join(", ", knobs.Select(k => k + "=" + Environment.GetEnvironmentVariable(k))));
        }

        var kernels = sources.Select(s => (Name: Path.GetFileNameWithoutExtension(s), Wasm: KernelToolchain.Compile(s))).ToList();

        // Warm the engine's own code (decoder, validator, IL emitter) so in-process compile times are steady-state.
        var inProcess = new InProcessRunner();
        foreach (var kernel in kernels)
        {
            _ = GenVm.Wasm.Module.FromFile(new GenVm.Wasm.Engine(), kernel.Wasm);
        }

        var rows = new List<Row>();
        foreach (var kernel in kernels)
        {
            Console.Write($"  {kernel.Name}: ");
            rows.Add(Measure(kernel.Name, kernel.Wasm, genvm, inProcess, reps));
            Console.WriteLine(rows[^1].Checksum);
        }

        Console.WriteLine();
        Console.WriteLine("kernel      ours (s)  node (s)  ours/node  verdict   | cpu ours  cpu node  cpu ratio   (wall medians decide; cpu = user+sys of the child)");
        foreach (var r in rows)
        {
            Console.WriteLine(
                $"{r.Name,-10} {r.OursWall,9:F3} {r.NodeWall,9:F3} {r.Ratio,10:F2}  {r.Verdict,-8}  | {r.OursCpu,8:F3} {r.NodeCpu,9:F3} {r.OursCpu / r.NodeCpu,10:F2}");
        }

        Console.WriteLine();
        Console.WriteLine("our time split, cpu seconds (in-process on a warm engine, guest thread; start-up+other = cpu ours - in-process total)");
        Console.WriteLine("kernel     compile (s)  instantiate (s)  run (s)  start-up+other (s)");
        foreach (var r in rows)
        {
            var total = r.Compile + r.Instantiate + r.RunTime;
            Console.WriteLine($"{r.Name,-10} {r.Compile,11:F3} {r.Instantiate,16:F3} {r.RunTime,8:F3} {r.OursCpu - total,19:F3}");
        }

        // The fixed per-process cost, from a module that does nothing; not part of the verdict.
        var hello = KernelToolchain.Compile(Path.Combine(KernelArguments.KernelDirectory, "startup", "hello.c"));
        var startOurs = new List<ChildResult>();
        var startNode = new List<ChildResult>();
        for (var i = 0; i < reps; i++)
        {
            startOurs.Add(Checked(ChildProcess.Run(genvm, ["wasm", "run", hello], NoEnv, TimeSpan.FromMinutes(2)), "genvm", "hello"));
            startNode.Add(Checked(ChildProcess.Run("node", NodeRunner.Arguments(hello), NoEnv, TimeSpan.FromMinutes(2)), "node", "hello"));
        }

        Console.WriteLine(
            $"start-up baseline (hello world, whole process): genvm {Median(startOurs.Select(r => r.WallSeconds)):F3} s wall / "
            + $"{Median(startOurs.Select(r => r.CpuSeconds)):F3} s cpu, node {Median(startNode.Select(r => r.WallSeconds)):F3} s wall / "
            + $"{Median(startNode.Select(r => r.CpuSeconds)):F3} s cpu");

        var failed = rows.Where(r => r.Verdict != "PASS").Select(r => r.Name).ToList();
        Console.WriteLine();
        Console.WriteLine($"load average at end: {LoadAverage()}");
        Console.WriteLine(failed.Count == 0
            ? $"overall: PASS ({rows.Count}/{rows.Count} kernels within {PassRatio}x of node)"
            : $"overall: FAIL ({failed.Count}/{rows.Count} kernels not within {PassRatio}x of node: {string.Join(", ", failed)})");
        return 0;
    }

    private static Row Measure(string name, string wasm, string genvm, InProcessRunner inProcess, int reps)
    {
        var ours = new List<ChildResult>();
        var node = new List<ChildResult>();
        var local = new List<InProcessResult>();
        for (var i = 0; i < reps; i++)
        {
            // Interleaved, so drifting machine load hits both engines alike.
            ours.Add(Checked(ChildProcess.Run(genvm, ["wasm", "run", wasm], NoEnv, TimeSpan.FromMinutes(10)), "genvm", name));
            node.Add(Checked(ChildProcess.Run("node", NodeRunner.Arguments(wasm), NoEnv, TimeSpan.FromMinutes(10)), "node", name));
            local.Add(inProcess.Run(wasm));
            Console.Write('.');
        }

        var expected = node[0].Stdout;
        var agree = ours.All(o => o.Stdout == expected) && node.All(n => n.Stdout == expected)
            && local.All(l => l.Stdout == expected && l.ExitCode == 0);
        var oursWall = Median(ours.Select(o => o.WallSeconds));
        var nodeWall = Median(node.Select(n => n.WallSeconds));
        var ratio = oursWall / nodeWall;
        var verdict = !agree ? "MISMATCH" : ratio <= PassRatio ? "PASS" : "FAIL";
        if (!agree)
        {
            Console.Write($" checksum mismatch: node {expected.Trim()} / genvm {ours[0].Stdout.Trim()} / in-process {local[0].Stdout.Trim()} ");
        }

        return new Row(
            name,
            expected.Trim().Split('\n')[^1],
            oursWall,
            nodeWall,
            ratio,
            verdict,
            Median(ours.Select(o => o.CpuSeconds)),
            Median(node.Select(n => n.CpuSeconds)),
            Median(local.Select(l => l.CompileSeconds)),
            Median(local.Select(l => l.InstantiateSeconds)),
            Median(local.Select(l => l.RunSeconds)));
    }

    private static ChildResult Checked(ChildResult result, string who, string kernel) =>
        result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"{who} failed on {kernel} (exit {result.ExitCode}): {result.Stderr}");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Order(string name) => Array.IndexOf(["sha256", "nbody", "matmul", "hashmap"], name) is var i && i >= 0 ? i : int.MaxValue;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed record Row(
        string Name,
        string Checksum,
        double OursWall,
        double NodeWall,
        double Ratio,
        string Verdict,
        double OursCpu,
        double NodeCpu,
        double Compile,
        double Instantiate,
        double RunTime);
}
