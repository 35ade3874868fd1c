namespace GenVm.Host.Manager;

/// <summary>One started execution: an executor process, or a run on the in-process executor.</summary>
internal interface IExecutionProcess : IAsyncDisposable
{
    /// <summary>Completes with the exit code once the execution ended and its output readers finished.</summary>
    Task<int> Exited { get; }

    /// <summary>Asks the execution to stop (SIGTERM; the executor ends with the VM error <c>timeout</c>).</summary>
    void Terminate();

    /// <summary>Stops the execution now (SIGKILL of the process tree; in-process: the same as <see cref="Terminate"/>).</summary>
    void Kill();
}
