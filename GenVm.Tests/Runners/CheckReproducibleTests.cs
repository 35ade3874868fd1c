namespace GenVm.Tests.Runners;

/// <summary>
/// <c>runners/check-reproducible.sh --pack-only</c> (issue 6: the same inputs give the same runner ids): packs the
/// runners twice with <c>build-runners.sh</c> into fresh directories from the CPython build
/// (<c>GENVM_PYTHON_RUNNER_DIR</c>) and compares every runner id.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CheckReproducibleTests
{
    [Test]
    public void CheckReproducible_PackTwice_SameRunnerIds()
    {
        var cpythonDir = Environment.GetEnvironmentVariable("GENVM_PYTHON_RUNNER_DIR");
        if (string.IsNullOrEmpty(cpythonDir) || !File.Exists(Path.Combine(cpythonDir, "python.wasm")))
        {
            Assert.Ignore("GENVM_PYTHON_RUNNER_DIR is not set: run `bash runners/build-python.sh` (CI does)");
        }

        var result = CheckReproducibleScript.Run(new Dictionary<string, string> { ["GENVM_PYTHON_RUNNER_DIR"] = cpythonDir! }, "--pack-only");

        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
        var lines = result.Lines;
        // One "name id" line per runner we ship, then the verdict.
        Assert.That(lines[..^1].Select(l => l.Split(' ')[0]), Is.EquivalentTo(new[] { "cpython", "py-genlayer", "py-genlayer-multi", "py-lib-cloudpickle", "py-lib-genlayer-std" }));
        Assert.That(lines[..^1], Has.All.Not.Contain("DIFFERS"));
        Assert.That(lines[^1], Is.EqualTo("reproducible: 5 runners, same ids"));
    }
}
