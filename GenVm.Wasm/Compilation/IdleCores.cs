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
    public static bool AnySpare() => AnySpare(Environment.ProcessorCount, static () => File.ReadAllText("/proc/loadavg"));

    /// <summary>
    /// The decision of <see cref="AnySpare()"/> for <paramref name="cores"/> cores and the text of
    /// <c>/proc/loadavg</c> (<c>"0.52 0.58 0.59 1/389 12345"</c>) as <paramref name="readLoadAverage"/> returns it.
    /// One core never has a spare one (the file is then not read). When the load cannot be known (the file is
    /// missing, unreadable, or its first field is not a finite, non-negative number) the answer is that of a machine
    /// without <c>/proc</c>: at least two cores are enough.
    /// </summary>
    internal static bool AnySpare(int cores, Func<string> readLoadAverage)
    {
        if (cores < 2)
        {
            return false;
        }

        string text;
        try
        {
            text = readLoadAverage();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }

        return OneMinuteLoad(text) is not { } load || load + 1 <= cores;
    }

    // proc(5): the first whitespace-separated field is the one-minute average of runnable and waiting tasks.
    private static double? OneMinuteLoad(string text)
    {
        var rest = text.AsSpan().TrimStart();
        var end = rest.IndexOfAny(' ', '\t', '\n');
        var first = end < 0 ? rest : rest[..end];
        return double.TryParse(first, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var load) && double.IsFinite(load)
            ? load
            : null;
    }
}
