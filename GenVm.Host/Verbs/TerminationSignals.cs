using System.Runtime.InteropServices;

namespace GenVm.Host.Verbs;

/// <summary>
/// Turns SIGTERM and SIGINT into cancellation for the verbs that run until stopped (host-protocol.md §11): the signal
/// is consumed, so the process ends through the verb's own orderly shutdown rather than the runtime's default exit.
/// </summary>
internal static class TerminationSignals
{
    /// <summary>Runs <paramref name="run"/> with a token cancelled by <paramref name="cancellationToken"/> or a signal.</summary>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        return await run(cancellation.Token).ConfigureAwait(false);

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            cancellation.Cancel();
        }
    }
}
