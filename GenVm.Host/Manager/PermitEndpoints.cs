using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace GenVm.Host.Manager;

/// <summary><c>GET /permits</c> and <c>POST /permits</c> (manager.md §4, §5.1).</summary>
internal static partial class PermitEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapPermitEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/permits", GetPermits);
        app.MapPost("/permits", SetPermitsAsync);
        return app;
    }

    private static ContentHttpResult GetPermits(PermitPool permits)
        => ManagerJson.Result(new JsonObject { ["permits"] = permits.Total });

    private static async Task<ContentHttpResult> SetPermitsAsync(HttpRequest request, PermitPool permits, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var body = await ManagerJson.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);

        // manager.md §4: a missing, negative or non-integer value is the handler error `invalid permits`.
        if (!body.TryGetProperty("permits", out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var wanted) || wanted < 0)
        {
            throw new ManagerException("invalid permits");
        }

        var (total, accepted) = await permits.SetTotalAsync(wanted, cancellationToken).ConfigureAwait(false);
        if (!accepted)
        {
            Log.Refused(loggers.CreateLogger(typeof(PermitEndpoints).FullName!), wanted);
        }

        return ManagerJson.Result(new JsonObject { ["result"] = "permits_set", ["permits"] = total });
    }

    private static partial class Log
    {
        [LoggerMessage(8200, LogLevel.Warning, "refusing to set permits to {Permits}: the minimum is 2")]
        public static partial void Refused(ILogger logger, int permits);
    }
}
