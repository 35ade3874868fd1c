using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace GenVm.Tests.Core.Host;

/// <summary>
/// A fake node for tests: listens on a real socket (a Unix socket in a fresh temp directory, or TCP on 127.0.0.1)
/// and reads requests by the layouts of host-protocol.md §5 with its own byte handling, sharing no code with the
/// executor's client. Answers are written by the tests as raw octets.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly DirectoryInfo? _directory;
    private Socket? _peer;

    private TestHost(Socket listener, string uri, DirectoryInfo? directory)
    {
        _listener = listener;
        Uri = uri;
        _directory = directory;
    }

    /// <summary>The <c>--host</c> value that reaches this host.</summary>
    public string Uri { get; }

    /// <summary>Octets the executor sent that were not read yet (already in the socket queue).</summary>
    public int Available => Peer.Available;

    private Socket Peer => _peer ?? throw new InvalidOperationException("no executor connected yet; call AcceptAsync");

    /// <summary>Starts listening on <c>unix://&lt;tempdir&gt;/host.sock</c>.</summary>
    public static TestHost StartUnix()
    {
        var directory = Directory.CreateTempSubdirectory("genvm-testhost-");
        var path = Path.Combine(directory.FullName, "host.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        return new TestHost(listener, "unix://" + path, directory);
    }

    /// <summary>Starts listening on 127.0.0.1 with a free port.</summary>
    public static TestHost StartTcp()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        return new TestHost(listener, $"127.0.0.1:{port}", null);
    }

    /// <summary>Accepts the executor's connection.</summary>
    public async Task AcceptAsync(CancellationToken cancellationToken = default)
        => _peer = await _listener.AcceptAsync(cancellationToken);

    /// <summary>Reads exactly <paramref name="count"/> octets; fails if the executor closes first.</summary>
    public async Task<byte[]> ReceiveExactAsync(int count, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await Peer.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"executor closed after {filled} of {count} octets");
            }

            filled += read;
        }

        return buffer;
    }

    /// <summary>Reads until the executor closes its end; returns the octets it still sent (none for a clean finish).</summary>
    public async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken = default)
    {
        var rest = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await Peer.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return [.. rest];
            }

            rest.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    /// <summary>Sends raw octets to the executor.</summary>
    public async Task SendAsync(byte[] octets)
    {
        var sent = 0;
        while (sent < octets.Length)
        {
            sent += await Peer.SendAsync(octets.AsMemory(sent), SocketFlags.None);
        }
    }

    /// <summary>Sends octets given as hex (spaces allowed).</summary>
    public Task SendHexAsync(string hex) => SendAsync(Hex.Parse(hex));

    /// <summary>Closes the executor's connection (a host that disconnects).</summary>
    public void Disconnect() => Peer.Close();

    /// <summary>
    /// Reads one whole request by the layouts of host-protocol.md §5. The id byte selects the layout; every field
    /// is read separately and recorded.
    /// </summary>
    public async Task<TestHostRequest> ReadRequestAsync(CancellationToken cancellationToken = default)
    {
        var raw = new List<byte>();
        var fields = new List<KeyValuePair<string, byte[]>>();

        async Task<byte[]> Fixed(string name, int size)
        {
            var octets = await ReceiveExactAsync(size, cancellationToken);
            raw.AddRange(octets);
            fields.Add(new(name, octets));
            return octets;
        }

        async Task Bytes(string name)
        {
            var prefix = await ReceiveExactAsync(4, cancellationToken);
            raw.AddRange(prefix);
            var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
            await Fixed(name, length);
        }

        var id = (await Fixed("id", 1))[0];
        switch (id)
        {
            case 0 or 13:
                break;
            case 1:
                await Fixed("read_type", 1);
                await Fixed("account", 20);
                await Fixed("slot", 32);
                await Fixed("index", 4);
                await Fixed("len", 4);
                break;
            case 2:
                await Fixed("slot", 32);
                await Fixed("index", 4);
                await Bytes("data");
                break;
            case 3:
                await Bytes("result");
                break;
            case 4 or 14:
                await Fixed("call_no", 4);
                break;
            case 5:
                await Fixed("call_no", 4);
                await Bytes("result");
                break;
            case 6 or 11:
                await Fixed("to", 20);
                await Bytes("calldata");
                await Bytes("data");
                break;
            case 7:
                var n = (await Fixed("n", 1))[0];
                for (var i = 0; i < n; i++)
                {
                    await Fixed("topic", 32);
                }

                await Bytes("blob");
                break;
            case 8:
                await Fixed("gas", 8);
                break;
            case 9:
                await Bytes("calldata");
                await Bytes("code");
                await Bytes("data");
                break;
            case 10:
                await Fixed("to", 20);
                await Bytes("calldata");
                break;
            case 12:
                await Fixed("account", 20);
                break;
            default:
                throw new InvalidDataException($"unknown method id {id}");
        }

        return new TestHostRequest(id, raw.ToArray(), fields);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _peer?.Dispose();
        _listener.Dispose();
        _directory?.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
