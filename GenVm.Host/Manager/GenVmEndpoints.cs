using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GenVm.Host.Manager;

/// <summary><c>POST /genvm/run</c>, <c>POST /genvm/run/readonly</c>, <c>GET /genvm/{id}</c>, <c>DELETE /genvm/{id}</c> (manager.md §4).</summary>
internal static class GenVmEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapGenVmEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/genvm/run", RunAsync);
        app.MapPost("/genvm/run/readonly", RunReadonlyAsync);
        app.MapGet("/genvm/{genvm_id}", Get);
        app.MapDelete("/genvm/{genvm_id}", DeleteAsync);
        return app;
    }

    /// <summary>Parses the body of <c>POST /genvm/run</c>.</summary>
    /// <exception cref="ManagerException">400 for a missing or mistyped field.</exception>
    internal static ExecutionRequest ParseRunRequest(JsonElement body)
    {
        var maxMinutes = ManagerJson.Optional(body, "max_execution_minutes");
        var extraArgs = ManagerJson.Optional(body, "extra_args");
        return new ExecutionRequest
        {
            Major = ManagerJson.UInt32(ManagerJson.Required(body, "major"), "major"),
            MessageJson = ManagerJson.Required(body, "message").GetRawText() is var raw ? JsonNode.Parse(raw)?.ToJsonString() ?? "null" : "null",
            IsSync = ManagerJson.Bool(ManagerJson.Required(body, "is_sync"), "is_sync"),
            CaptureOutput = ManagerJson.Bool(ManagerJson.Required(body, "capture_output"), "capture_output"),
            MaxExecutionMinutes = maxMinutes is { } m ? ManagerJson.UInt64(m, "max_execution_minutes") : 20,
            HostData = ManagerJson.String(ManagerJson.Required(body, "host_data"), "host_data"),
            Timestamp = ManagerJson.Timestamp(ManagerJson.Required(body, "timestamp"), "timestamp"),
            Host = ManagerJson.String(ManagerJson.Required(body, "host"), "host"),
            ExtraArgs = extraArgs is { } e ? ManagerJson.StringArray(e, "extra_args") : [],
        };
    }

    private static async Task<ContentHttpResult> RunAsync(HttpRequest request, ExecutionService executions, CancellationToken cancellationToken)
    {
        var body = await ManagerJson.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var id = await executions.StartAsync(ParseRunRequest(body), cancellationToken).ConfigureAwait(false);
        return ManagerJson.Result(new JsonObject { ["result"] = "started", ["id"] = id });
    }

    private static async Task<ContentHttpResult> RunReadonlyAsync(HttpRequest request, ReadonlyRunner runner, CancellationToken cancellationToken)
    {
        _ = ManagerJson.DeploymentTimestamp(request);
        var code = await ManagerJson.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var schema = await runner.GetSchemaAsync(code, request.Headers["Deployment-Timestamp"][0]!, cancellationToken).ConfigureAwait(false);
        return ManagerJson.Result(new JsonObject { ["schema"] = schema });
    }

    private static ContentHttpResult Get(string genvm_id, ExecutionService executions)
    {
        var id = ParseId(genvm_id);
        return ManagerJson.Result(new JsonObject { ["genvm_id"] = id, ["status"] = executions.Fetch(id) });
    }

    private static async Task<ContentHttpResult> DeleteAsync(string genvm_id, HttpRequest request, ExecutionService executions)
    {
        var id = ParseId(genvm_id);
        var waitMs = 30_000UL;
        if (request.Query.TryGetValue("wait_timeout_ms", out var values)
            && !ulong.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out waitMs))
        {
            throw ManagerException.BadRequest("invalid query string: wait_timeout_ms must be an unsigned integer");
        }

        var timeout = TimeSpan.FromMilliseconds(Math.Min(waitMs, (ulong)int.MaxValue));
        if (!await executions.StopAsync(id, timeout).ConfigureAwait(false))
        {
            // manager.md §4: an unknown id is a soft failure with status 200.
            return ManagerJson.Result(new JsonObject { ["error"] = $"GenVM with id {id} not found", ["genvm_id"] = id });
        }

        return ManagerJson.Result(new JsonObject { ["result"] = "shutdown_completed", ["genvm_id"] = id });
    }

    private static ulong ParseId(string text)
        => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw ManagerException.BadRequest($"invalid genvm id `{text}`: expected an unsigned 64-bit integer");
}
