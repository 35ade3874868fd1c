using System.Net;
using System.Net.Sockets;
using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <summary>
/// The executor's client side of the host socket (host-protocol.md §2): strictly sequential request/answer
/// exchanges over one stream, each guarded by a lock so exchanges of concurrently running VMs never interleave.
/// </summary>
/// <remarks>
/// Failure model: a non-<c>ok</c> error byte completes the exchange and throws <see cref="HostErrorException"/>
/// (the connection stays usable); everything else that interrupts an exchange half-way (disconnect, truncated or
/// oversized answer, cancellation, timeout) leaves the stream position unknown, so the connection is marked
/// faulted and every later call throws <see cref="HostProtocolException"/> with
/// <see cref="HostProtocolErrorKind.Faulted"/>.
/// </remarks>
internal sealed partial class HostConnection : IAsyncDisposable, IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;

    // Answers up to this size are allocated at once; larger ones grow as octets actually arrive, so a host that
    // announces a large length and then stalls or disconnects costs no large allocation.
    private const int EagerAllocationLimit = 1024 * 1024;

    private readonly Socket _socket;
    private readonly HostConnectionOptions _options;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private int _receiveStart;
    private int _receiveEnd;
    private HostProtocolException? _fault;
    private bool _finished;
    private bool _disposed;

    private HostConnection(Socket socket, HostConnectionOptions options)
    {
        _socket = socket;
        _options = options;
    }

    /// <summary>Connects to the host named by a <c>--host</c> value (<c>unix://path</c> or <c>host:port</c>).</summary>
    /// <exception cref="FormatException">The address is malformed.</exception>
    /// <exception cref="HostProtocolException">The socket could not be connected (<see cref="HostProtocolErrorKind.ConnectionFailed"/>).</exception>
    public static Task<HostConnection> ConnectAsync(string hostUri, HostConnectionOptions? options, CancellationToken cancellationToken)
        => ConnectAsync(HostEndpoint.Parse(hostUri), options, cancellationToken);

    /// <summary>Connects to <paramref name="endPoint"/> (a <see cref="UnixDomainSocketEndPoint"/>, IP or DNS end point).</summary>
    /// <exception cref="HostProtocolException">The socket could not be connected (<see cref="HostProtocolErrorKind.ConnectionFailed"/>).</exception>
    public static async Task<HostConnection> ConnectAsync(EndPoint endPoint, HostConnectionOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        options ??= new HostConnectionOptions();
        if (options.MaxAnswerLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxAnswerLength, "MaxAnswerLength must be positive");
        }

        var socket = endPoint switch
        {
            UnixDomainSocketEndPoint => new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified),
            IPEndPoint ip => new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true },
            _ => new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true },
        };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new HostConnection(socket, options);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new HostProtocolException(HostProtocolErrorKind.ConnectionFailed, null, $"cannot connect to host {endPoint}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True once an exchange failed half-way; every later call throws.</summary>
    public bool IsFaulted => _fault is not null;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            // The lock is not disposed: an exchange still running must be able to release it after the socket
            // was closed under it (which makes that exchange fail).
            _socket.Dispose();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
