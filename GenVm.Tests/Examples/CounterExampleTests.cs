using System.Diagnostics;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// The README's first command (<c>scripts/demo</c>) end to end: <c>examples/counter.py</c> deployed and called through the
/// real <c>genvm exec</c> process, our packed runners, CPython and our <c>genlayer</c> SDK.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CounterExampleTests
{
    private string _runners = string.Empty;
    private string _dir = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _runners = Environment.GetEnvironmentVariable("GENVM_RUNNERS_DIR") ?? string.Empty;
        if (_runners.Length == 0 || !File.Exists(Path.Combine(_runners, "runners-manifest.json")))
        {
            Assert.Ignore("GENVM_RUNNERS_DIR with a runners-manifest.json is not set (bash runners/build-runners.sh; CI does)");
        }

        _dir = Path.Combine(Path.GetTempPath(), "genvm-example-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (_dir.Length > 0 && Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Test]
    public void Exec_DeployAddGet_ReturnsTheSumAndStoresItLittleEndian()
    {
        var state = Path.Combine(_dir, "state.json");

        var deploy = Exec("--deploy", "--args", "[5]", "--state", state);
        var add = Exec("--method", "add", "--args", "[3]", "--state", state);
        var get = Exec("--method", "get", "--state", state);

        Assert.That(deploy.ExitCode, Is.Zero, deploy.Stderr);
        Assert.That(deploy.Stdout, Does.StartWith("executed with `Return(\"\\x00\")`\n"), deploy.Stderr);
        // python-sdk.md §17.3: a u256 field is 32 little-endian bytes at the root record's slot.
        Assert.That(deploy.Stdout, Does.Contain("(empty) -> 0x0500000000000000000000000000000000000000000000000000000000000000"));
        // calldata.md: 8 is the unsigned-integer tag 1 with value 8 << 3, one byte 0x41 ('A').
        Assert.That(add.Stdout, Does.StartWith("executed with `Return(\"A\")`\n"), add.Stderr);
        Assert.That(add.Stdout, Does.Contain("0x0500000000000000000000000000000000000000000000000000000000000000 -> 0x08"));
        Assert.That(get.Stdout, Is.EqualTo("executed with `Return(\"A\")`\n"), get.Stderr);
    }

    private (int ExitCode, string Stdout, string Stderr) Exec(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "genvm.dll"));
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "examples", "counter.py"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GENVM_RUNNERS_DIR"] = _runners;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
