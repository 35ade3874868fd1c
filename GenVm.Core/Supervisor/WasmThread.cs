namespace GenVm.Core.Supervisor;

/// <summary>
/// Runs wasm synchronously on a dedicated thread with a large native stack (style.md §7), so stack exhaustion is
/// decided by the engine's own limits (wasm-abi.md §13) and host calls may block that thread only.
/// </summary>
internal static class WasmThread
{
    /// <summary>The guest thread's stack size.</summary>
    public const int StackBytes = 256 * 1024 * 1024;

    /// <summary>Starts <paramref name="work"/> on a new thread; the task completes with its result or exception.</summary>
    public static Task<T> RunAsync<T>(Func<T> work, string name)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                try
                {
                    completion.SetResult(work());
                }
                catch (Exception e)
                {
                    completion.SetException(e);
                }
            },
            StackBytes)
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return completion.Task;
    }
}
