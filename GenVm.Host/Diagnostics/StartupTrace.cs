using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace GenVm.Host.Diagnostics;

/// <summary>
/// Start-up probes: with <c>GENVM_STARTUP_TRACE=1</c> each <see cref="Mark"/> writes one stderr line with the
/// milliseconds since <c>Main</c> began, the methods the JIT has compiled so far and the time it spent. Used to find
/// where a fresh process spends its time before the wasm entry point (docs/decisions.md, "Host start-up").
/// </summary>
internal static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("GENVM_STARTUP_TRACE") is "1";

    private static readonly long Origin = Stopwatch.GetTimestamp();

    /// <summary>Starts the clock (call first thing in <c>Main</c>).</summary>
    public static void Start()
    {
        if (Enabled)
        {
            Mark("main");
        }
    }

    /// <summary>Writes the stage line when tracing is on; does nothing otherwise.</summary>
    public static void Mark(string stage)
    {
        if (!Enabled)
        {
            return;
        }

        var ms = Stopwatch.GetElapsedTime(Origin).TotalMilliseconds;
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"startup: {stage,-24} {ms,8:F1} ms  cpu {Environment.CpuUsage.TotalTime.TotalMilliseconds,6:F0} ms  jit {JitInfo.GetCompiledMethodCount(),5} methods {JitInfo.GetCompilationTime().TotalMilliseconds,7:F1} ms  assemblies {AppDomain.CurrentDomain.GetAssemblies().Length}"));
    }
}
