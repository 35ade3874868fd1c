using GenVm.Wasm;
using GenVm.Wasm.Wasi;
using WasmEngine = GenVm.Wasm.Engine;

namespace GenVm.Bench.Engine;

/// <summary>
/// Runs a kernel through the public API (Engine, Module, Linker, Store, WasiHost) inside this process, with one
/// engine reused across runs, so compile and run time can be told apart from process start-up.
/// </summary>
internal sealed class InProcessRunner
{
    // The same guest stack as `genvm wasm run` (GenVm.Host/Verbs/WasmVerb.cs).
    private const int GuestStackBytes = 256 * 1024 * 1024;

    private readonly WasmEngine _engine;

    /// <summary>A runner on a default engine.</summary>
    public InProcessRunner()
        : this(new EngineConfig())
    {
    }

    /// <summary>A runner on an engine built from <paramref name="config"/> (A/B comparisons of compiler settings).</summary>
    public InProcessRunner(EngineConfig config)
    {
        _engine = new WasmEngine(config);
    }

    /// <summary>Compiles, instantiates and runs <paramref name="wasmPath"/>'s <c>_start</c> on a big-stack thread.</summary>
    public InProcessResult Run(string wasmPath)
    {
        InProcessResult? result = null;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = RunOnThread(wasmPath);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            },
            GuestStackBytes)
        {
            Name = "bench-wasm-guest",
        };
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InvalidOperationException($"in-process run of {wasmPath} failed", failure);
    }

    private InProcessResult RunOnThread(string wasmPath)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var configuration = new WasiConfiguration
        {
            Args = [wasmPath],
            Stdin = new MemoryStream(),
            Stdout = stdout,
            Stderr = stderr,
        };
        using var wasi = new WasiHost(configuration);
        using var store = new Store(_engine);

        var mark = CpuClock.ThreadSeconds();
        var module = Module.FromFile(_engine, wasmPath);
        var compile = Lap(ref mark);

        var linker = new Linker(_engine);
        wasi.Define(linker);
        var instance = linker.Instantiate(store, module);
        var start = instance.GetFunction("_start") ?? throw new InvalidOperationException($"{wasmPath} has no _start");
        var instantiate = Lap(ref mark);

        var exitCode = 0;
        try
        {
            start.Invoke([]);
        }
        catch (WasiExitException exit)
        {
            exitCode = exit.ExitCode;
        }

        var run = Lap(ref mark);
        return new InProcessResult(System.Text.Encoding.UTF8.GetString(stdout.ToArray()), exitCode, compile, instantiate, run);
    }

    private static double Lap(ref double mark)
    {
        var now = CpuClock.ThreadSeconds();
        var lap = now - mark;
        mark = now;
        return lap;
    }
}
