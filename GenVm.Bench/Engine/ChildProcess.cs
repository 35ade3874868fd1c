using System.Diagnostics;

namespace GenVm.Bench.Engine;

/// <summary>
/// Runs a child process to completion, capturing its output, wall time and CPU time (user + system, from
/// <c>getrusage(RUSAGE_CHILDREN)</c> before and after: children are run one at a time, so the delta is this child's).
/// </summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="program"/>; <paramref name="extraEnv"/> is added to the inherited environment.</summary>
    public static ChildResult Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> extraEnv, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in extraEnv)
        {
            psi.Environment[name] = value;
        }

        var cpuBefore = CpuClock.ChildrenSeconds();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in {timeout.TotalSeconds:0} s");
        }

        process.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        return new ChildResult(process.ExitCode, stdout.Result, stderr.Result, wall, CpuClock.ChildrenSeconds() - cpuBefore);
    }
}
