namespace GenVm.Tests.Wasm.Spec;

/// <summary>
/// Runs guest code on a dedicated thread with a large native stack, so that stack exhaustion is decided by the
/// engine's own limits (wasm-abi.md §13) and not by the test runner's default 1.5 MB thread stack.
/// </summary>
internal static class LargeStack
{
    /// <summary>The stack size of the guest thread.</summary>
    public const int StackBytes = 256 * 1024 * 1024;

    /// <summary>
    /// Runs <paramref name="work"/> on a large-stack thread and returns its result; rethrows its exception. When
    /// <paramref name="timeout"/> passes first, calls <paramref name="onTimeout"/> (e.g. a store interrupt), waits a
    /// little more and throws <see cref="TimeoutException"/> if the thread still runs.
    /// </summary>
    public static T Run<T>(Func<T> work, TimeSpan timeout, Action? onTimeout = null)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception ex)
                {
                    error = ex;
                }
            },
            StackBytes)
        {
            IsBackground = true,
            Name = "wasm-guest",
        };
        thread.Start();
        if (!thread.Join(timeout))
        {
            onTimeout?.Invoke();
            if (!thread.Join(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"guest code still running after {timeout.TotalSeconds:0} s");
            }
        }

        if (error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        }

        return result;
    }
}
