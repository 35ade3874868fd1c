using System.Runtime.InteropServices;

namespace GenVm.Bench.Engine;

/// <summary>
/// CPU seconds (user + system) from <c>getrusage</c>: less sensitive than wall time on a machine shared with
/// other work, which is why the report shows both.
/// </summary>
internal static partial class CpuClock
{
    private const int RUsageChildren = -1;
    private const int RUsageThread = 1;

    /// <summary>CPU time of all waited-for children of this process so far.</summary>
    public static double ChildrenSeconds() => Read(RUsageChildren);

    /// <summary>CPU time of the calling thread so far (Linux <c>RUSAGE_THREAD</c>).</summary>
    public static double ThreadSeconds() => Read(RUsageThread);

    private static double Read(int who)
    {
        // struct rusage on 64-bit Linux: two struct timevals (user, system), then 14 longs.
        Span<long> usage = stackalloc long[18];
        unsafe
        {
            fixed (long* p = usage)
            {
                if (GetRUsage(who, p) != 0)
                {
                    return double.NaN;
                }
            }
        }

        return usage[0] + (usage[1] / 1e6) + usage[2] + (usage[3] / 1e6);
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static unsafe partial int GetRUsage(int who, long* usage);
}
