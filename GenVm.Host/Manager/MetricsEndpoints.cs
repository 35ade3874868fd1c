using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GenVm.Host.Manager;

/// <summary><c>GET /metrics</c>: the manager's counters in the Prometheus text format (not in the reference).</summary>
internal static class MetricsEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", Get);
        return app;
    }

    private static ContentHttpResult Get(ManagerMetrics metrics, PermitPool permits)
    {
        var text = new StringBuilder();
        void Line(string name, double value)
            => text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Line("genvm_manager_executions_started_total", metrics.Started);
        Line("genvm_manager_executions_finished_total", metrics.Finished);
        Line("genvm_manager_executions_failed_total", metrics.Failed);
        Line("genvm_manager_executions_running", metrics.Running);
        Line("genvm_manager_executions_running_peak", metrics.PeakRunning);
        Line("genvm_manager_execution_duration_seconds_sum", metrics.DurationSeconds);
        Line("genvm_manager_permits_in_use", metrics.PermitsInUse);
        Line("genvm_manager_permits_available", permits.Available);
        Line("genvm_manager_permits_total", permits.Total);
        Line("genvm_manager_permits_waiting", permits.Waiting);
        Line("genvm_manager_module_calls_total{module=\"llm\"}", metrics.ModuleCalls(ModuleKind.Llm));
        Line("genvm_manager_module_calls_total{module=\"web\"}", metrics.ModuleCalls(ModuleKind.Web));
        Line("genvm_manager_module_failures_total{module=\"llm\"}", metrics.ModuleFailures(ModuleKind.Llm));
        Line("genvm_manager_module_failures_total{module=\"web\"}", metrics.ModuleFailures(ModuleKind.Web));
        return TypedResults.Text(text.ToString(), "text/plain; version=0.0.4");
    }
}
