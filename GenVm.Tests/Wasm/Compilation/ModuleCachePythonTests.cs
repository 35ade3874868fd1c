using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using TransactionEngines = GenVm.Core.Supervisor.TransactionEngines;
using GenVm.Host.Verbs;
using GenVm.Wasm;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Compilation;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// The compile cache with CPython (about 8,000 functions, 6.4 MB): a native (ReadyToRun) hit rebuilds the module from
/// the entry's metadata, and prints what a hit costs next to what decoding would cost. Needs
/// <c>GENVM_PYTHON_RUNNER_DIR</c> and crossgen2.
/// </summary>
[TestFixture]
[Category("Toolchain")]
[NonParallelizable]
public sealed class ModuleCachePythonTests
{
    [Test]
    [Explicit("measurement: crossgen2 of CPython takes minutes of CPU")]
    public void FromBytes_CPythonNativeHit_SkipsDecodingAndReportsCpu()
    {
        var runnerDir = Environment.GetEnvironmentVariable("GENVM_PYTHON_RUNNER_DIR");
        if (runnerDir is null || !File.Exists(Path.Combine(runnerDir, "python.wasm")))
        {
            Assert.Ignore("GENVM_PYTHON_RUNNER_DIR is not set: run `bash runners/build-python.sh`");
        }

        var crossgen2 = Crossgen2Locator.Find();
        if (crossgen2 is null)
        {
            Assert.Ignore("crossgen2 not found");
        }

        var wasm = File.ReadAllBytes(Path.Combine(runnerDir!, "python.wasm"));
        var directory = Environment.GetEnvironmentVariable("GENVM_TEST_CPYTHON_CACHE") ?? Path.Combine(TestCache.Root, "wasm-cache-tests", "cpython-native");
        var engine = new Engine(TransactionEngines.DetSoftFloatConfig().WithCacheDirectory(directory));
        Assert.That(Module.Precompile(engine, wasm, crossgen2), Is.True, "the entry holds native code");
        var key = ModuleCache.Key(engine.Config, wasm);

        var decodes = ModuleDecoder.DecodeCount;
        var hits = new List<double>();
        var hashes = new List<double>();
        var decoding = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            ModuleCache.Forget(key); // as in a fresh process: the entry and image are read from disk
            var cpu = CpuMs();
            var module = Module.FromBytes(engine, wasm);
            hits.Add(CpuMs() - cpu);
            Assert.That(module.IsFromCache, Is.True);

            cpu = CpuMs();
            _ = SHA256.HashData(wasm);
            hashes.Add(CpuMs() - cpu);
            cpu = CpuMs();
            _ = ModuleDecoder.Decode(wasm, engine.Config.Features);
            decoding.Add(CpuMs() - cpu);
        }

        Assert.That(ModuleDecoder.DecodeCount - decodes, Is.EqualTo(5), "only the measured decodes ran: the hits decoded nothing");
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPython {wasm.Length} bytes: hit (hash + entry + metadata + image check + bind) median {Median(hits):F1} ms CPU; SHA-256 {Median(hashes):F1} ms; a decode (skipped by the hit) {Median(decoding):F1} ms; entry {new FileInfo(ModuleCache.PathOf(directory, key)).Length} bytes, image {new FileInfo(ModuleCache.ImagePathOf(directory, key, native: true)).Length} bytes"));
    }

    private static double CpuMs()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
