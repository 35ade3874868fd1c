using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace GenVm.Core.Supervisor;

/// <summary>
/// The executor's half of the start-up breakdown (the engine prints its load phases): with
/// <c>GENVM_WASM_TIMINGS=1</c> each <see cref="Stop"/> writes one stderr line with the phase's wall time, the process
/// CPU time so far and the methods the JIT compiled so far, in the engine's line format, so a fresh <c>genvm exec</c>
/// shows where the time after the module load goes (snapshot file, restore, the run, the result, the exit). Off by
/// default; one static bool check per mark.
/// </summary>
internal static class RunTimings
{
    /// <summary>Whether timings are printed.</summary>
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("GENVM_WASM_TIMINGS") == "1";

    /// <summary>A start mark (0 when disabled).</summary>
    public static long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Prints the time since <paramref name="start"/> for <paramref name="phase"/>; returns a new start mark.</summary>
    public static long Stop(string phase, long start)
    {
        if (!Enabled)
        {
            return 0;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"genvm-wasm timing: {phase,-16} {elapsed.TotalMilliseconds,9:F1} ms (process cpu so far {Environment.CpuUsage.TotalTime.TotalMilliseconds:F0} ms; jit so far {JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms, {JitInfo.GetCompiledMethodCount()} methods)"));
        return Stopwatch.GetTimestamp();
    }
}
