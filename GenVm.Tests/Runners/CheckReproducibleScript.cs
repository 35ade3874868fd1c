using System.Diagnostics;

namespace GenVm.Tests.Runners;

/// <summary>Runs <c>runners/check-reproducible.sh</c> with arguments and collects its exit code and output.</summary>
internal static class CheckReproducibleScript
{
    /// <summary>What one run of the script printed.</summary>
    internal sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>The non-empty stdout lines.</summary>
        public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Runs the script to its end; <paramref name="environment"/> entries are added to the child's.</summary>
    public static Result Run(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "runners", "check-reproducible.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout, stderr.Result);
    }
}
