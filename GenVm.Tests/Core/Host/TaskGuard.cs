namespace GenVm.Tests.Core.Host;

/// <summary>Bounds every awaited exchange in the tests so a protocol bug fails the test instead of hanging the suite.</summary>
internal static class TaskGuard
{
    /// <summary>Generous bound; a passing exchange takes microseconds.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Limit"/>.</summary>
    public static Task<T> Guarded<T>(this Task<T> task) => task.WaitAsync(Limit);

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Limit"/>.</summary>
    public static Task Guarded(this Task task) => task.WaitAsync(Limit);
}
