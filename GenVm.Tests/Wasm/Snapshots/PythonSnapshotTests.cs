using System.Security.Cryptography;
using System.Text;
using GenVm.Tests.Wasm.Wasi;
using GenVm.Wasm;
using GenVm.Wasm.Snapshots;
using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Wasm.Snapshots;

/// <summary>
/// The CPython reactor build (runners/build-python.sh, python-reactor.wasm) through snapshots: <c>print(1+1)</c> run
/// on a restored start-up gives the same stdout and the same final memory as the same program started from scratch;
/// and with the host's real clock the start-up is refused. Needs <c>GENVM_PYTHON_RUNNER_DIR</c> (CI builds it).
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class PythonSnapshotTests
{
    private const int GuestStackBytes = 256 * 1024 * 1024;
    private static readonly DateTimeOffset BootTime = DateTimeOffset.UnixEpoch;

    [TestCase("genvm_run")]
    [TestCase("genvm_run_unfinalized")]
    public void GenvmRun_RestoredStartup_SameStdoutAndFinalMemoryAsFreshRun(string entry) => OnBigStack(() =>
    {
        var (module, std) = LoadReactor();
        if (!module.Exports.Any(e => e.Name == entry))
        {
            Assert.Ignore($"python-reactor.wasm does not export {entry}: rebuild with `bash runners/build-python.sh`");
        }

        // Reference: start-up and run in one instance, no snapshot involved.
        var (freshOut, freshHash) = RunToExit(module, std, entry, restore: null);

        // Start-up once, capture, then run on a restored copy in another store with a new host.
        using var startupHost = new WasiHost(Configuration(std, new MemoryStream(), new ManualTimeProvider()));
        using var startupStore = new Store(module.Engine);
        var linker = new Linker(module.Engine);
        var recorder = new WasiStartupRecorder(startupHost, BootTime);
        recorder.Define(linker);
        var started = linker.Instantiate(startupStore, module);
        StartUp(started);
        var wasi = recorder.Seal();
        using var snapshot = InstanceSnapshot.Capture(started);

        var (restoredOut, restoredHash) = RunToExit(module, std, entry, restore: (snapshot, wasi));
        var (againOut, againHash) = RunToExit(module, std, entry, restore: (snapshot, wasi));

        Assert.That(freshOut, Is.EqualTo("2\n"));
        Assert.That(restoredOut, Is.EqualTo(freshOut));
        Assert.That(restoredHash, Is.EqualTo(freshHash), "final memory of the restored run equals the fresh run's");
        Assert.That((againOut, againHash), Is.EqualTo((freshOut, freshHash)), "a second restore of the same snapshot too");
    });

    [Test]
    public void Seal_StartupWithHostClock_RefusesClockReads() => OnBigStack(() =>
    {
        var (module, std) = LoadReactor();
        using var host = new WasiHost(Configuration(std, new MemoryStream(), new ManualTimeProvider()));
        using var store = new Store(module.Engine);
        var linker = new Linker(module.Engine);
        var recorder = new WasiStartupRecorder(host);
        recorder.Define(linker);
        StartUp(linker.Instantiate(store, module));

        var ex = Assert.Throws<SnapshotMismatchException>(() => recorder.Seal())!;
        Assert.That(ex.Message, Does.Contain("clock_time_get"), "mimalloc's seed and the C clock() origin read the clock during start-up");
    });

    /// <summary>
    /// Runs <paramref name="entry"/> until proc_exit(0), either after a start-up in the same instance (restore null) or on a restored
    /// instance; returns stdout and the SHA-256 of the final memory.
    /// </summary>
    private static (string Stdout, string MemoryHash) RunToExit(Module module, string std, string entry, (InstanceSnapshot Snapshot, WasiStartupState Wasi)? restore)
    {
        var stdout = new MemoryStream();
        using var host = new WasiHost(Configuration(std, stdout, new ManualTimeProvider()));
        using var store = new Store(module.Engine);
        var linker = new Linker(module.Engine);
        Instance instance;
        if (restore is { } r)
        {
            r.Wasi.RequireCompatible(host);
            host.Define(linker);
            instance = r.Snapshot.Instantiate(linker, store);
        }
        else
        {
            // The same boot clock for the start-up as the snapshot's, so the two runs see identical inputs.
            var recorder = new WasiStartupRecorder(host, BootTime);
            recorder.Define(linker);
            instance = linker.Instantiate(store, module);
            StartUp(instance);
            recorder.Seal();
        }

        var exit = Assert.Throws<WasiExitException>(() => instance.GetFunction(entry)!.Invoke([]))!;
        Assert.That(exit.ExitCode, Is.Zero);
        var memory = instance.GetMemory("memory")!;
        return (Encoding.UTF8.GetString(stdout.ToArray()), Convert.ToHexString(SHA256.HashData(memory.GetSpan(0, (int)memory.ByteLength))));
    }

    private static void StartUp(Instance instance)
    {
        instance.GetFunction("_initialize")!.Invoke([]);
        Assert.That(instance.GetFunction("genvm_init")!.Invoke([])[0].I32, Is.Zero);
    }

    private static WasiConfiguration Configuration(string std, Stream stdout, TimeProvider time) => new()
    {
        Args = ["python", "-B", "-c", "print(1+1)"],
        Environment = [new("PYTHONHOME", "/py/std"), new("PYTHONPATH", "/py/std"), new("PYTHONHASHSEED", "0")],
        Stdin = new MemoryStream(),
        Stdout = stdout,
        Stderr = new MemoryStream(),
        Preopens = [WasiPreopen.FromHostDirectory(std, "/py/std", true)],
        TimeProvider = time,
        Random = new Random(7),
    };

    private static (Module Module, string Std) LoadReactor()
    {
        var runnerDir = Environment.GetEnvironmentVariable("GENVM_PYTHON_RUNNER_DIR");
        if (string.IsNullOrEmpty(runnerDir))
        {
            Assert.Ignore("GENVM_PYTHON_RUNNER_DIR is not set: run `bash runners/build-python.sh` (CI does)");
        }

        var reactor = Path.Combine(runnerDir!, "python-reactor.wasm");
        if (!File.Exists(reactor))
        {
            Assert.Ignore($"{reactor} is missing: the runner predates the reactor link; run `bash runners/build-python.sh`");
        }

        var engine = new Engine(new EngineConfig().WithCacheDirectory(Path.Combine(TestCache.Root, "wasm-cache-tests")));
        return (Module.FromFile(engine, reactor, "python-reactor.wasm"), Path.Combine(runnerDir!, "lib", "python3.13"));
    }

    private static void OnBigStack(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    body();
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            },
            GuestStackBytes);
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }
}
