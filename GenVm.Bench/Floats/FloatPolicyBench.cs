using System.Globalization;
using GenVm.Bench.Engine;
using GenVm.Wasm;
using GenVm.Wasm.Wasi;
using WasmEngine = GenVm.Wasm.Engine;

namespace GenVm.Bench.Floats;

/// <summary>
/// <c>GenVm.Bench float-policy</c>: runs the float-heavy C kernel (n-body) in this process under the
/// <see cref="FloatPolicy.Native"/> and <see cref="FloatPolicy.SoftFloat"/> policies, checks that both print the
/// same output (no NaN arises, so the bits must agree), and prints the run-time ratio softfloat/native. The softfloat
/// policy is meant to run at hardware speed (hardware operation plus one NaN test): PASS when the ratio is at most 1.5.
/// </summary>
internal static class FloatPolicyBench
{
    private const int GuestStackBytes = 64 * 1024 * 1024;

    public static int Run(IReadOnlyList<string> args)
    {
        var reps = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var wasm = KernelToolchain.Compile(Path.Combine(RepoLocator.Root, "GenVm.Bench", "Engine", "kernels", "nbody.c"));
        var native = new WasmEngine(new EngineConfig().WithFloatPolicy(FloatPolicy.Native));
        var soft = new WasmEngine(new EngineConfig().WithFloatPolicy(FloatPolicy.SoftFloat));
        var nativeModule = Module.FromFile(native, wasm);
        var softModule = Module.FromFile(soft, wasm);

        // One warm-up each (JIT tiers), then interleaved repetitions; medians of thread CPU time.
        var (expected, _) = RunOnce(nativeModule);
        var (softOutput, _) = RunOnce(softModule);
        var nativeTimes = new List<double>();
        var softTimes = new List<double>();
        for (var i = 0; i < reps; i++)
        {
            nativeTimes.Add(RunOnce(nativeModule).Seconds);
            softTimes.Add(RunOnce(softModule).Seconds);
        }

        var nativeMedian = Median(nativeTimes);
        var softMedian = Median(softTimes);
        var ratio = softMedian / nativeMedian;
        var same = expected == softOutput;
        Console.WriteLine($"float-policy: nbody in process, {reps} repetitions, medians of thread CPU time");
        Console.WriteLine(FormattableString.Invariant($"  native   {nativeMedian:F3} s"));
        Console.WriteLine(FormattableString.Invariant($"  softfloat {softMedian:F3} s   ratio {ratio:F2}"));
        Console.WriteLine($"  outputs identical: {same}");
        var pass = same && ratio <= 1.5;
        Console.WriteLine(pass ? "PASS" : "FAIL");
        return pass ? 0 : 1;
    }

    private static (string Output, double Seconds) RunOnce(Module module)
    {
        (string, double)? result = null;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = RunOnThread(module);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            },
            GuestStackBytes);
        thread.Start();
        thread.Join();
        return failure is null ? result!.Value : throw new InvalidOperationException("nbody run failed", failure);
    }

    private static (string Output, double Seconds) RunOnThread(Module module)
    {
        using var stdout = new MemoryStream();
        using var wasi = new WasiHost(new WasiConfiguration
        {
            Args = ["nbody"],
            Stdin = new MemoryStream(),
            Stdout = stdout,
            Stderr = new MemoryStream(),
        });
        using var store = new Store(module.Engine);
        var linker = new Linker(module.Engine);
        wasi.Define(linker);
        var start = linker.Instantiate(store, module).GetFunction("_start")!;
        var mark = CpuClock.ThreadSeconds();
        try
        {
            start.Invoke([]);
        }
        catch (WasiExitException)
        {
        }

        return (System.Text.Encoding.UTF8.GetString(stdout.ToArray()), CpuClock.ThreadSeconds() - mark);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
