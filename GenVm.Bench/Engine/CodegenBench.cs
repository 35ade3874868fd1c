namespace GenVm.Bench.Engine;

/// <summary>
/// <c>GenVm.Bench engine-codegen [--reps N] [kernel...]</c>: the engine kernels in this process only, alternating an
/// engine with loop versioning (bounds checks proven once per loop entry; <see cref="GenVm.Wasm.EngineConfig.LoopVersioning"/>)
/// and one without, so the code generator's gain is measured apart from process start-up and machine load drift.
/// Prints the median guest-thread CPU seconds of <c>_start</c> (JIT included) for each and the ratio. A report: exits 0.
/// </summary>
internal static class CodegenBench
{
    public static int Run(IReadOnlyList<string> args)
    {
        var (reps, selected) = KernelArguments.Parse(args, defaultRepetitions: 5);
        var kernels = selected
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(s => (Name: Path.GetFileNameWithoutExtension(s), Wasm: KernelToolchain.Compile(s)))
            .ToList();
        var on = new InProcessRunner(new GenVm.Wasm.EngineConfig().WithLoopVersioning(true));
        var off = new InProcessRunner(new GenVm.Wasm.EngineConfig().WithLoopVersioning(false));
        Console.WriteLine($"engine-codegen: in-process run CPU (guest thread, median of {reps}), loop versioning off vs on; load average {LoadAverage()}");
        Console.WriteLine("kernel      off (s)   on (s)  on/off");
        foreach (var (name, wasm) in kernels)
        {
            var a = new List<double>();
            var b = new List<double>();
            for (var i = 0; i < reps; i++)
            {
                var x = off.Run(wasm);
                var y = on.Run(wasm);
                if (x.Stdout != y.Stdout || x.ExitCode != y.ExitCode)
                {
                    throw new InvalidOperationException($"{name}: outputs differ with loop versioning: '{x.Stdout.Trim()}' vs '{y.Stdout.Trim()}'");
                }

                a.Add(x.RunSeconds);
                b.Add(y.RunSeconds);
            }

            Console.WriteLine($"{name,-10} {Median(a),8:F3} {Median(b),8:F3} {Median(b) / Median(a),7:F2}");
        }

        Console.WriteLine($"load average at end: {LoadAverage()}");
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
