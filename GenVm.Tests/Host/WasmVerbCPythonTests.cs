namespace GenVm.Tests.Host;

/// <summary>
/// The large real module of issue 3: CPython 3.13 for wasm32-wasi (about 8,500 functions), built by
/// <c>runners/build-python.sh</c>, runs the runner's own smoke script through <c>genvm wasm run</c>.
/// CI builds the runner and exports <c>GENVM_PYTHON_RUNNER_DIR</c>; without it the test is ignored with the reason.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class WasmVerbCPythonTests
{
    [Test]
    public async Task RunAsync_CPythonSmokeScript_PrintsSmokeOk()
    {
        var runnerDir = Environment.GetEnvironmentVariable("GENVM_PYTHON_RUNNER_DIR");
        if (string.IsNullOrEmpty(runnerDir) || !File.Exists(Path.Combine(runnerDir, "python.wasm")))
        {
            Assert.Ignore("GENVM_PYTHON_RUNNER_DIR is not set: run `bash runners/build-python.sh` (CI does)");
        }

        var runnersSources = Path.Combine(RepositoryRoot.Path, "runners");
        var std = Path.Combine(runnerDir!, "lib", "python3.13");
        var (code, stdout, stderr) = await WasmVerbHarness.RunAsync(
            "run",
            "--dir", $"{std}::/py/std",
            "--dir", $"{runnersSources}::/smoke",
            "--env", "PYTHONHOME=/py/std",
            "--env", "PYTHONPATH=/py/std",
            Path.Combine(runnerDir!, "python.wasm"),
            "-B",
            "/smoke/smoke.py");

        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout.Split('\n'), Does.Contain("smoke: ok"), stdout + stderr);
    }

    /// <summary>
    /// Issue 3: RyuJIT compiles methods beyond its thresholds with MinOpts, and CPython's eval loop (its largest
    /// function) is far beyond them; the compiler splits such functions. A child <c>genvm wasm run</c> reports every
    /// method it jits (<c>DOTNET_JitStdOutFile</c> + <c>DOTNET_JitDisasmSummary</c>, available in release runtimes).
    /// </summary>
    [Test]
    public async Task Run_CPythonJitSummary_NoWasmMethodInMinOptsAndEvalLoopOptimised()
    {
        var runnerDir = Environment.GetEnvironmentVariable("GENVM_PYTHON_RUNNER_DIR");
        if (string.IsNullOrEmpty(runnerDir) || !File.Exists(Path.Combine(runnerDir, "python.wasm")))
        {
            Assert.Ignore("GENVM_PYTHON_RUNNER_DIR is not set: run `bash runners/build-python.sh` (CI does)");
        }

        var wasm = Path.Combine(runnerDir!, "python.wasm");
        var evalLoop = GenVm.Wasm.Binary.ModuleDecoder.Decode(File.ReadAllBytes(wasm), GenVm.Wasm.WasmFeatures.Default)
            .Bodies.MaxBy(b => b.CodeLength)!.FunctionIndex;
        var summary = Path.Combine(Path.GetTempPath(), $"genvm-jit-{Guid.NewGuid():N}.txt");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "genvm.dll"), "wasm", "run",
            "--dir", $"{Path.Combine(runnerDir!, "lib", "python3.13")}::/py/std",
            "--env", "PYTHONHOME=/py/std", "--env", "PYTHONPATH=/py/std",
            wasm, "-B", "-c", "print(sum(i * i for i in range(1000)))",
        })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_JitStdOutFile"] = summary;
        start.Environment["DOTNET_JitDisasmSummary"] = "1";
        start.Environment["GENVM_WASM_CACHE"] = "off";
        try
        {
            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.That(process.ExitCode, Is.EqualTo(0), await stderr);
            Assert.That((await stdout).Trim(), Is.EqualTo("332833500"));

            // Lines read "JIT compiled Functions:f3436_2(byref,Context) [FullOpts, IL size=..., code size=...]"; a
            // lazily compiled module (the default for CPython without a cache) holds them in group types "G214:".
            var wasmMethod = new System.Text.RegularExpressions.Regex(@"JIT compiled (Functions|G[0-9]+):f");
            var wasmMethods = File.ReadAllLines(summary).Where(l => wasmMethod.IsMatch(l)).ToList();
            Assert.That(wasmMethods, Has.Count.GreaterThan(1000));
            Assert.That(wasmMethods.Where(l => l.Contains("MinOpts", StringComparison.Ordinal)), Is.Empty);
            var root = wasmMethods.Where(l => l.Contains($":f{evalLoop}(", StringComparison.Ordinal)).ToList();
            Assert.That(root, Is.Not.Empty, $"eval loop f{evalLoop}");
            // Eagerly compiled into a collectible assembly it is jitted FullOpts at once; lazily compiled (not
            // collectible) it tiers like the compile cache's images: tier 0, then an optimised (OSR or tier 1) body.
            Assert.That(root, Has.Some.Matches<string>(l => l!.Contains("[FullOpts", StringComparison.Ordinal) || l!.Contains("Tier1", StringComparison.Ordinal)));
            var pieces = wasmMethods.Where(l => l.Contains($":f{evalLoop}_", StringComparison.Ordinal)).ToList();
            Assert.That(pieces, Is.Not.Empty, "the eval loop is split into pieces");
        }
        finally
        {
            File.Delete(summary);
        }
    }
}
