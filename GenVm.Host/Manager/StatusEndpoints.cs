using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GenVm.Host.Manager;

/// <summary><c>GET /status</c> (manager.md §4).</summary>
internal static class StatusEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status", GetStatus);
        return app;
    }

    private static ContentHttpResult GetStatus(ModuleService modules, PermitPool permits, ExecutionService executions)
    {
        var table = new JsonObject();
        foreach (var (id, execution) in executions.Executions.OrderBy(e => e.Key))
        {
            table[id.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["has_result"] = execution.HasResult,
                ["version"] = execution.Version,
                ["started_at"] = Rfc3339(execution.StartedAt),
                ["strict_deadline"] = Rfc3339(execution.StrictDeadline),
            };
        }

        return ManagerJson.Result(new JsonObject
        {
            ["llm_module"] = StateText(modules.State(ModuleKind.Llm)),
            ["web_module"] = StateText(modules.State(ModuleKind.Web)),
            ["permits"] = new JsonObject { ["current"] = permits.Available, ["max"] = permits.Total },
            ["executions"] = table,
        });
    }

    /// <summary>RFC 3339 in UTC with the fraction the clock gives (chrono's <c>to_rfc3339</c> uses <c>+00:00</c>).</summary>
    internal static string Rfc3339(DateTimeOffset time)
        => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "+00:00";

    private static string StateText(ModuleState state) => state switch
    {
        ModuleState.Running => "running",
        ModuleState.Stopping => "stopping",
        _ => "stopped",
    };
}
