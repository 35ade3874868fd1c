using System.Diagnostics;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Runs the real <c>genvm exec</c> process on a contract of <c>examples/</c> with our packed runners
/// (<c>GENVM_RUNNERS_DIR</c>), as <c>scripts/demo</c> does.
/// </summary>
internal sealed class ExampleExec
{
    private readonly string _runners;

    private ExampleExec(string runners, string directory)
    {
        _runners = runners;
        Directory = directory;
    }

    /// <summary>A fresh temporary directory for state files; deleted by <see cref="Delete"/>.</summary>
    public string Directory { get; }

    /// <summary>Ignores the calling test when <c>GENVM_RUNNERS_DIR</c> has no packed runners (CI sets it).</summary>
    public static ExampleExec CreateOrIgnore()
    {
        var runners = Environment.GetEnvironmentVariable("GENVM_RUNNERS_DIR") ?? string.Empty;
        if (runners.Length == 0 || !File.Exists(Path.Combine(runners, "runners-manifest.json")))
        {
            Assert.Ignore("GENVM_RUNNERS_DIR with a runners-manifest.json is not set (bash runners/build-runners.sh; CI does)");
        }

        var directory = Path.Combine(Path.GetTempPath(), "genvm-example-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new ExampleExec(runners, directory);
    }

    /// <summary>Removes <see cref="Directory"/>.</summary>
    public void Delete()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary><c>genvm exec examples/&lt;contract&gt; args…</c>: its exit code, stdout and stderr.</summary>
    public (int ExitCode, string Stdout, string Stderr) Run(string contract, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "genvm.dll"));
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "examples", contract));
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
