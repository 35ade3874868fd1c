using System.Net;
using System.Net.WebSockets;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GenVm.Modules.Transport;

/// <summary>
/// One module served over WebSocket (modules.md §2.1, §2.3) on Kestrel: any path upgrades to a WebSocket session
/// (Hello, then one request and one answer at a time); <c>GET /health</c> answers <c>ok</c> once the module is ready.
/// </summary>
internal sealed partial class ModuleServer : IAsyncDisposable
{
    private const int MaxMessageBytes = 64 * 1024 * 1024;
    private readonly WebApplication _app;
    private readonly IModuleEndpoint _endpoint;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    private ModuleServer(WebApplication app, IModuleEndpoint endpoint, ILogger logger)
    {
        _app = app;
        _endpoint = endpoint;
        _logger = logger;
    }

    /// <summary>The WebSocket URL the server listens on (<c>ws://host:port</c>).</summary>
    public Uri Address { get; private set; } = new("ws://127.0.0.1");

    /// <summary>Starts listening on <paramref name="endpoint"/> (port 0 picks a free port).</summary>
    public static async Task<ModuleServer> StartAsync(IPEndPoint listen, IModuleEndpoint endpoint, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrel(k => k.Listen(listen)).UseShutdownTimeout(TimeSpan.FromSeconds(5));
        var app = builder.Build();
        var server = new ModuleServer(app, endpoint, loggerFactory.CreateLogger<ModuleServer>());
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Address = new Uri("ws" + address[4..].TrimEnd('/'));
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            if (context.Request.Path == "/health")
            {
                await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
            }

            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);

        // Sessions end when the client goes away or the server stops (then the socket is aborted at once).
        using var session = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var token = session.Token;
        try
        {
            var first = await ReceiveAsync(socket, token).ConfigureAwait(false);
            if (first is null)
            {
                return;
            }

            var hello = ModuleWire.ParseHello(CalldataValue.Decode(first));
            Log.Session(_logger, hello.Cookie);
            var connection = _endpoint.Open(hello);
            while (await ReceiveAsync(socket, token).ConfigureAwait(false) is { } message)
            {
                CalldataValue answer;
                try
                {
                    answer = await connection.HandleAsync(CalldataValue.Decode(message), token).ConfigureAwait(false);
                }
                catch (CalldataFormatException e)
                {
                    answer = ModuleWire.Fatal("handling: " + e.Message);
                }

                byte[] encoded;
                try
                {
                    encoded = answer.Encode();
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                {
                    encoded = ModuleWire.Fatal("handling: " + e.Message).Encode();
                }

                await socket.SendAsync(encoded, WebSocketMessageType.Binary, true, token).ConfigureAwait(false);
            }

            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or FormatException or CalldataFormatException or IOException)
        {
            // §2.1: a read error ends the session (logged) and the socket is closed.
            Log.SessionFailed(_logger, e.Message);
        }
    }

    /// <summary>One whole message (Text or Binary, treated alike), or null on Close.</summary>
    private static async Task<byte[]?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
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
            if (message.Length > MaxMessageBytes)
            {
                throw new FormatException("message too large");
            }

            if (result.EndOfMessage)
            {
                return message.ToArray();
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7300, Level = LogLevel.Debug, Message = "module session opened (cookie {Cookie})")]
        public static partial void Session(ILogger logger, string cookie);

        [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "module session ended with an error: {Error}")]
        public static partial void SessionFailed(ILogger logger, string error);
    }
}
