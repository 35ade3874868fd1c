using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenVm.Modules.Web;

/// <summary>
/// A Chrome DevTools Protocol connection over <see cref="ClientWebSocket"/>: numbered commands with their answers, and
/// session events handed to listeners (flat sessions, <c>Target.attachToTarget {flatten: true}</c>).
/// </summary>
internal sealed class CdpConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _calls = new();
    private readonly ConcurrentDictionary<string, Action<string, JsonElement>> _listeners = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private long _nextId;

    private CdpConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>False once the socket closed or failed.</summary>
    public bool IsOpen => _socket.State == WebSocketState.Open && !_receiveLoop.IsCompleted;

    /// <summary>Connects to a DevTools endpoint (<c>ws://127.0.0.1:port/devtools/browser/…</c>).</summary>
    public static async Task<CdpConnection> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new CdpConnection(socket);
    }

    /// <summary>Listens to the events of one session (one listener per session).</summary>
    public void Listen(string sessionId, Action<string, JsonElement> listener) => _listeners[sessionId] = listener;

    /// <summary>Stops listening to a session.</summary>
    public void Forget(string sessionId) => _listeners.TryRemove(sessionId, out _);

    /// <summary>Sends a command and returns its <c>result</c>.</summary>
    /// <exception cref="CdpException">The browser answered an error, or the connection closed.</exception>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters, string? sessionId, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = answer;
        try
        {
            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }

            if (_receiveLoop.IsCompleted)
            {
                throw new CdpException("DevTools connection closed");
            }

            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            throw new CdpException("DevTools connection failed: " + e.Message, e);
        }
        finally
        {
            _calls.TryRemove(id, out _);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            foreach (var call in _calls.Values)
            {
                call.TrySetException(new CdpException("DevTools connection closed"));
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        if (root.TryGetProperty("id", out var idElement) && idElement.TryGetInt64(out var id))
        {
            if (_calls.TryGetValue(id, out var call))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    call.TrySetException(new CdpException(error.TryGetProperty("message", out var m) ? m.GetString() ?? "error" : error.GetRawText()));
                }
                else
                {
                    call.TrySetResult(root.TryGetProperty("result", out var r) ? r.Clone() : default);
                }
            }

            return;
        }

        if (root.TryGetProperty("method", out var method) && root.TryGetProperty("sessionId", out var session)
            && _listeners.TryGetValue(session.GetString() ?? "", out var listener))
        {
            var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
            listener(method.GetString() ?? "", parameters);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _socket.Dispose();
        await _receiveLoop.ConfigureAwait(false);
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
