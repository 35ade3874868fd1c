using System.Globalization;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Whether the machine has a core to spare for background compilation. A lazy start with the cache entry compiled in
/// the background does more work in total than compiling everything first (the functions the run needs are emitted
/// twice); it only wins when another core is idle (docs/decisions.md, lazy compilation).
/// </summary>
internal static class IdleCores
{
    /// <summary>
    /// True when the one-minute load average (Linux <c>/proc/loadavg</c>) leaves at least one core idle besides the
    /// one running this process; elsewhere, when there are at least two cores.
    /// </summary>
    public static bool AnySpare()
    {
        var cores = Environment.ProcessorCount;
        if (cores < 2)
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            var first = text.AsSpan(0, Math.Max(0, text.IndexOf(' ', StringComparison.Ordinal)));
            return !double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) || load + 1 <= cores;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
