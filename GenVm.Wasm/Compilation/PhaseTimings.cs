using System.Diagnostics;
using System.Globalization;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Start-up breakdown for diagnosis: with <c>GENVM_WASM_TIMINGS=1</c> every load phase (decode, validate, emit,
/// type creation, cache read/write, instantiation) prints its wall time and the process CPU time so far to stderr, and at process exit the JIT's
/// total compilation time and method count are printed. Off by default; costs one static bool check per phase.
/// Public so an embedder's phases (GenVM's executor: snapshot file, restore, run, result) print in the same breakdown
/// and format.
/// </summary>
public static class PhaseTimings
{
    /// <summary>Whether timings are printed.</summary>
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("GENVM_WASM_TIMINGS") == "1";

    private static int s_exitHooked;
    private static long s_countedTicks;
    private static int s_counted;
    private static string? s_countedPhase;

    /// <summary>A start mark (0 when disabled).</summary>
    public static long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>
    /// Adds the time since <paramref name="start"/> to the total of a phase that runs many times (lazy emission of
    /// function groups), printed at process exit.
    /// </summary>
    public static void Count(string phase, long start)
    {
        if (!Enabled)
        {
            return;
        }

        s_countedPhase = phase;
        Interlocked.Add(ref s_countedTicks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref s_counted);
        HookExit();
    }

    /// <summary>Prints the time since <paramref name="start"/> for <paramref name="phase"/>; returns a new start mark (0 when disabled).</summary>
    public static long Stop(string phase, long start)
    {
        if (!Enabled)
        {
            return 0;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"genvm-wasm timing: {phase,-16} {elapsed.TotalMilliseconds,9:F1} ms (process cpu so far {Environment.CpuUsage.TotalTime.TotalMilliseconds:F0} ms; jit so far {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods)"));
        HookExit();
        return Stopwatch.GetTimestamp();
    }

    private static void HookExit()
    {
        if (Interlocked.Exchange(ref s_exitHooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += static (_, _) =>
            {
                // The totals include a compile cache entry still being written (its own exit hook waits for it too).
                ModuleCache.WaitForPendingWrites();
                if (s_countedPhase is { } phase)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"genvm-wasm timing: {phase,-16} {Stopwatch.GetElapsedTime(0, Volatile.Read(ref s_countedTicks)).TotalMilliseconds,9:F1} ms in {Volatile.Read(ref s_counted)} parts"));
                }

                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"genvm-wasm timing: jit (process)   {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,9:F1} ms, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods, process {(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds:F0} ms wall, {Environment.CpuUsage.TotalTime.TotalMilliseconds:F0} ms cpu"));
            };
        }
    }
}
