using System.Net.WebSockets;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;

namespace GenVm.Modules.Transport;

/// <summary>
/// The executor side of one module connection (modules.md §2.3): connected lazily, Hello first, strictly one request at
/// a time. Unlike the reference (§2.4) a request has a timeout, and a broken connection is replaced on the next
/// request (a new Hello); the failed request itself is never re-sent, so no side effect repeats.
/// </summary>
internal sealed class WebSocketModuleConnection : IAsyncDisposable
{
    private readonly Uri _address;
    private readonly ModuleHello _hello;
    private readonly RemoteModuleOptions _options;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private ClientWebSocket? _socket;

    public WebSocketModuleConnection(RemoteModuleOptions options)
        : this(options, new ModuleHello(
            options.Cookie.Length > 0
                ? options.Cookie
                : string.Concat(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8).Select(b => b.ToString("x", System.Globalization.CultureInfo.InvariantCulture))),
            CalldataValue.FromMap(options.HostData.Select(h => new KeyValuePair<string, CalldataValue>(h.Key, CalldataValue.FromString(h.Value))))))
    {
    }

    /// <summary>A connection that opens with <paramref name="hello"/> (one execution's cookie and host data, §2.3).</summary>
    public WebSocketModuleConnection(RemoteModuleOptions options, ModuleHello hello)
    {
        _options = options;
        _address = new Uri(options.Address);
        _hello = hello;
    }

    /// <summary>Connections opened so far (tests: reconnection).</summary>
    internal int Connects { get; private set; }

    /// <summary>Sends one request and returns the <c>Ok</c> value (or null with the user error).</summary>
    /// <exception cref="ModuleFatalException">Connect, transport or timeout failure, or a <c>FatalError</c> answer.</exception>
    public async Task<(CalldataValue? Ok, CalldataValue? UserError)> RequestAsync(CalldataValue request, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var socket = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            byte[]? answer;
            try
            {
                await socket.SendAsync(request.Encode(), WebSocketMessageType.Binary, true, timeout.Token).ConfigureAwait(false);
                answer = await ReceiveAsync(socket, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Drop();
                throw new ModuleFatalException($"module at {_address} did not answer within {_options.RequestTimeout}");
            }
            catch (OperationCanceledException)
            {
                // The run was cancelled: the answer of this request would be out of step with the next one.
                Drop();
                throw;
            }
            catch (Exception e) when (e is WebSocketException or IOException)
            {
                Drop();
                throw new ModuleFatalException($"module at {_address}: {e.Message}", e);
            }

            if (answer is null)
            {
                Drop();
                throw new ModuleFatalException("service closed connection");
            }

            CalldataValue envelope;
            try
            {
                envelope = CalldataValue.Decode(answer);
            }
            catch (CalldataFormatException e)
            {
                Drop();
                throw new ModuleFatalException("module answered undecodable calldata: " + e.Message, e);
            }

            var ok = ModuleWire.ReadEnvelope(envelope, out var userError);
            return (ok, userError);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<ClientWebSocket> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_socket is { State: WebSocketState.Open } open)
        {
            return open;
        }

        Drop();
        var socket = new ClientWebSocket();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(_address, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(_hello.ToCalldata().Encode(), WebSocketMessageType.Binary, true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ModuleFatalException($"connecting to {_address}: {e.Message}", e);
        }

        Connects++;
        _socket = socket;
        return socket;
    }

    private static async Task<byte[]?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return message.ToArray();
            }
        }
    }

    private void Drop()
    {
        _socket?.Abort();
        _socket?.Dispose();
        _socket = null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_socket is { State: WebSocketState.Open } socket)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        Drop();
        _lock.Dispose();
    }
}
