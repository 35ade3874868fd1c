using System.Net.Sockets;
using GenVm.Core.Host;
using GenVm.Core.Messages;
using GenVm.Core.Supervisor;

namespace GenVm.Core.LocalNode;

/// <summary>
/// One transaction against a <see cref="LocalNode"/> in this process. The executor and the node talk through a
/// private Unix socket pair (a fresh socket file in the temp directory), so the run exercises the real binary
/// protocol codec exactly as <c>genvm run</c> does against a node.
/// </summary>
internal static class LocalRun
{
    /// <summary>Runs the transaction; the node keeps what the executor sent.</summary>
    public static Task<TransactionOutcome> RunAsync(LocalNode node, TransactionMessage message, TransactionOptions options, CancellationToken cancellationToken)
        => RunAsync(node, (host, token) => new TransactionSupervisor().RunAsync(host, message, options, token), cancellationToken);

    /// <summary>
    /// Runs <paramref name="execute"/> against the node (for example one execution of an execution pool); the node
    /// keeps what the executor sent.
    /// </summary>
    public static async Task<TransactionOutcome> RunAsync(LocalNode node, Func<HostConnection, CancellationToken, Task<TransactionOutcome>> execute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(execute);
        var path = Path.Combine(Path.GetTempPath(), $"genvm-exec-{Guid.NewGuid():N}.sock");
        var endPoint = new UnixDomainSocketEndPoint(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(endPoint);
        try
        {
            listener.Listen(1);
            var accept = listener.AcceptAsync(cancellationToken).AsTask();
            await using var host = await HostConnection.ConnectAsync(endPoint, null, cancellationToken).ConfigureAwait(false);
            using var peer = await accept.ConfigureAwait(false);
            await using var stream = new NetworkStream(peer, ownsSocket: false);
            var serve = node.ServeAsync(stream, CancellationToken.None);
            TransactionOutcome outcome;
            try
            {
                outcome = await execute(host, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Ends the node's loop if the executor stopped early.
                host.Dispose();
            }

            await serve.ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
