using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GenVm.Tests.Modules.Web;

/// <summary>
/// A tiny HTTP forward proxy on 127.0.0.1 for routing tests: it records the absolute-form target of every request,
/// optionally demands Basic credentials (407 first), and forwards each request to one fixed upstream origin (a local
/// test site), whatever host the URL names, so test host names need no DNS. One request per connection.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _upstream;
    private readonly string? _basic;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <param name="upstream">Where every request is forwarded (scheme http).</param>
    /// <param name="user">With <paramref name="password"/>: the credentials required, else none.</param>
    /// <param name="password">The password.</param>
    public CountingProxy(string upstream, string? user = null, string? password = null)
    {
        _upstream = new Uri(upstream);
        _basic = user is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Port on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Absolute URLs of the requests forwarded (authorised ones when credentials are required).</summary>
    public ConcurrentQueue<string> Forwarded { get; } = new();

    /// <summary>Requests answered 407 (no or wrong credentials).</summary>
    public int Challenged => _challenged;

    private int _challenged;

    /// <summary>Hosts of <see cref="Forwarded"/>, ignoring a browser's favicon requests.</summary>
    public IReadOnlyList<string> ForwardedHosts
        => Forwarded.Where(u => !u.EndsWith("/favicon.ico", StringComparison.Ordinal)).Select(u => new Uri(u).Host).ToList();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (head, body) = await ReadRequestAsync(stream);
                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                if (parts.Length != 3 || !Uri.TryCreate(parts[1], UriKind.Absolute, out var target))
                {
                    await stream.WriteAsync("HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                    return;
                }

                var headers = lines.Skip(1).Where(l => l.Length > 0).ToList();
                if (_basic is not null && !headers.Any(h => h.Equals("Proxy-Authorization: " + _basic, StringComparison.OrdinalIgnoreCase)))
                {
                    Interlocked.Increment(ref _challenged);
                    await stream.WriteAsync("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                    return;
                }

                Forwarded.Enqueue(target.ToString());
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(_upstream.Host, _upstream.Port);
                var forward = new StringBuilder($"{parts[0]} {target.PathAndQuery} {parts[2]}\r\n");
                foreach (var header in headers)
                {
                    if (!header.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !header.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase))
                    {
                        forward.Append(header).Append("\r\n");
                    }
                }

                forward.Append("Connection: close\r\n\r\n");
                var upstreamStream = upstream.GetStream();
                await upstreamStream.WriteAsync(Encoding.Latin1.GetBytes(forward.ToString()));
                await upstreamStream.WriteAsync(body);
                await upstreamStream.CopyToAsync(stream);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
            }
        }
    }

    private static async Task<(string Head, byte[] Body)> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 65536)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                break;
            }

            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n')
            {
                break;
            }
        }

        var head = Encoding.Latin1.GetString(buffer.ToArray()).TrimEnd('\r', '\n');
        var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return (head, body);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
