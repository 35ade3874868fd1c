using GenVm.Core.Modules;
using GenVm.Core.Pool;
using GenVm.Host.Verbs;
using Microsoft.Extensions.Logging;

namespace GenVm.Host.Manager;

/// <summary>
/// An execution on the built-in executor inside the manager process: the <c>genvm run</c> verb with the same
/// arguments the reference manager passes to an executor process (manager.md §4 <c>/genvm/run</c> step 5), as one
/// execution of the manager's <see cref="ExecutionPool"/> (concurrency is the manager's permits). Termination is the verb's cancellation, which ends the run as <c>VMError("timeout")</c>.
/// </summary>
internal sealed class InProcessExecution : IExecutionProcess
{
    private readonly CancellationTokenSource _stop = new();

    private InProcessExecution(IReadOnlyList<string> runArguments, Stream stdout, Stream stderr, ILlmModule? llm, IWebModule? web, ExecutionPool? pool, ILogger? log, ManagerMetrics? metrics)
    {
        var verb = new RunVerb(() => stdout, () => stderr)
        {
            Llm = llm,
            Web = web,
            WrapLlm = metrics is null ? null : session => new CountingLlmModule(session, metrics),
            WrapWeb = metrics is null ? null : session => new CountingWebModule(session, metrics),
            Pool = pool, Logger = log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
        };
        var token = _stop.Token;
        Exited = Task.Run(() => verb.RunCoreAsync(runArguments, token), CancellationToken.None);
    }

    /// <inheritdoc/>
    public Task<int> Exited { get; }

    /// <summary>
    /// Starts <c>genvm run</c> with <paramref name="runArguments"/> (the words after <c>run</c>) as an execution of
    /// <paramref name="pool"/> (the manager's, so its process-wide memory cap covers every in-process execution); the
    /// executor's log records go to <paramref name="log"/> (what a process writes to its <c>--log-fd</c>); module calls
    /// are counted in <paramref name="metrics"/> when given.
    /// </summary>
    public static InProcessExecution Start(IReadOnlyList<string> runArguments, Stream stdout, Stream stderr, ILlmModule? llm, IWebModule? web, ExecutionPool? pool = null, ILogger? log = null, ManagerMetrics? metrics = null)
        => new(runArguments, stdout, stderr, llm, web, pool, log, metrics);

    /// <inheritdoc/>
    public void Terminate()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished and disposed.
        }
    }

    /// <inheritdoc/>
    public void Kill() => Terminate();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Terminate();
        try
        {
            await Exited.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The failure was already recorded by the owner of the execution.
        }

        _stop.Dispose();
    }
}
