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
}
