using System.Diagnostics;

namespace GenVm.Tests.Host;

/// <summary>The real <c>genvm</c> executable of the test output (<c>dotnet genvm.dll</c>) as a child process.</summary>
internal static class GenVmProcess
{
    /// <summary>Runs <c>genvm args…</c> with extra <paramref name="environment"/>: its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(IEnumerable<(string Name, string Value)> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "genvm.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The level is only what the test sets.
        start.Environment.Remove("GENVM__Logging__LogLevel__Default");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
