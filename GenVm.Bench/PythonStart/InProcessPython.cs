using System.Diagnostics;
using GenVm.Wasm;
using GenVm.Wasm.Wasi;
using WasmEngine = GenVm.Wasm.Engine;

namespace GenVm.Bench.PythonStart;

/// <summary>
/// Runs <c>print(1+1)</c> twice in this process on one engine with the warm cache: the second run is what a
/// long-lived executor pays per call once the runner is loaded (instantiate + run on already-jitted code).
/// </summary>
internal static class InProcessPython
{
    private const int GuestStackBytes = 256 * 1024 * 1024;

    /// <summary>Milliseconds of the first and second runs.</summary>
    public sealed record Result(double FirstMs, double FirstLoadMs, double SecondMs, double SecondWithLoadMs, double SecondInstantiateMs);

    public static Result Measure(PythonRunner runner, string cacheDirectory)
    {
        Result? result = null;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = MeasureOnThread(runner, cacheDirectory);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            },
            GuestStackBytes);
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InvalidOperationException("in-process python run failed", failure);
    }

    private static Result MeasureOnThread(PythonRunner runner, string cacheDirectory)
    {
        var engine = new WasmEngine(new EngineConfig().WithCacheDirectory(cacheDirectory));
        var wasm = File.ReadAllBytes(runner.Wasm);
        var clock = Stopwatch.StartNew();
        var module = Module.FromBytes(engine, wasm, "python.wasm");
        var firstLoad = clock.Elapsed.TotalMilliseconds;
        RunOnce(runner, module);
        var first = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        var instantiate = RunOnce(runner, module);
        var second = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        RunOnce(runner, Module.FromBytes(engine, wasm, "python.wasm"));
        var secondWithLoad = clock.Elapsed.TotalMilliseconds;

        // The best of a few more runs of the same Module: the figure without GC or timer noise.
        for (var i = 0; i < 5; i++)
        {
            clock.Restart();
            var part = RunOnce(runner, module);
            if (clock.Elapsed.TotalMilliseconds < second)
            {
                second = clock.Elapsed.TotalMilliseconds;
                instantiate = part;
            }
        }

        return new Result(first, firstLoad, second, secondWithLoad, instantiate);
    }

    /// <summary>Runs the program; returns the milliseconds spent linking and instantiating (the rest is the guest's run).</summary>
    private static double RunOnce(PythonRunner runner, Module module)
    {
        var clock = Stopwatch.StartNew();
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var configuration = new WasiConfiguration
        {
            Args = ["python", .. PythonRunner.GuestArguments],
            Environment = [.. PythonRunner.GuestEnvironment],
            Stdin = new MemoryStream(),
            Stdout = stdout,
            Stderr = stderr,
            Preopens = [WasiPreopen.FromHostDirectory(runner.StandardLibrary, "/py/std", true)],
        };
        using var wasi = new WasiHost(configuration);
        using var store = new Store(module.Engine);
        var linker = new Linker(module.Engine);
        wasi.Define(linker);
        var instance = linker.Instantiate(store, module);
        var instantiated = clock.Elapsed.TotalMilliseconds;
        try
        {
            instance.GetFunction("_start")!.Invoke([]);
        }
        catch (WasiExitException exit) when (exit.ExitCode == 0)
        {
        }

        var output = System.Text.Encoding.UTF8.GetString(stdout.ToArray()).Trim();
        if (output != "2")
        {
            throw new InvalidOperationException($"python printed '{output}': {System.Text.Encoding.UTF8.GetString(stderr.ToArray())}");
        }

        return instantiated;
    }
}
