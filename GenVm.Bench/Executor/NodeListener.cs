using System.Net.Sockets;
using GenVm.Core.LocalNode;

namespace GenVm.Bench.Executor;

/// <summary>
/// A <see cref="LocalNode"/> behind a listening Unix socket in a fresh temp directory, for executors in other
/// processes (<c>genvm run --host unix://…</c>) or in this one.
/// </summary>
internal sealed class NodeListener : IDisposable
{
    private readonly Socket _listener;
    private readonly DirectoryInfo _directory;

    public NodeListener()
    {
        _directory = Directory.CreateTempSubdirectory("genvm-bench-node-");
        Path = System.IO.Path.Combine(_directory.FullName, "node.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(16);
    }

    /// <summary>The socket file.</summary>
    public string Path { get; }

    /// <summary>The <c>--host</c> value.</summary>
    public string Uri => "unix://" + Path;

    /// <summary>Accepts one executor connection and serves <paramref name="node"/> on it until the result.</summary>
    public async Task ServeOneAsync(LocalNode node, CancellationToken cancellationToken)
    {
        using var peer = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(peer, ownsSocket: false);
        await node.ServeAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _directory.Delete(recursive: true);
    }
}
