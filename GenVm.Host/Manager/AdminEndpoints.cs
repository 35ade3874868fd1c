using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GenVm.Host.Manager;

/// <summary><c>POST /log/level</c>, <c>POST /manifest/reload</c>, <c>POST /env</c> (manager.md §4).</summary>
internal static class AdminEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/log/level", SetLogLevelAsync);
        app.MapPost("/manifest/reload", ReloadManifest);
        app.MapPost("/env", SetEnvAsync);
        return app;
    }

    private static async Task<ContentHttpResult> SetLogLevelAsync(HttpRequest request, ManagerLogLevel logLevel, CancellationToken cancellationToken)
    {
        var body = await ManagerJson.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var text = body.TryGetProperty("level", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (!ManagerLogLevel.TryParseName(text, out var level))
        {
            throw new ManagerException("invalid log level");
        }

        logLevel.Level = level;
        return ManagerJson.Result(new JsonObject { ["result"] = "log_level_set", ["level"] = ManagerLogLevel.Echo(level) });
    }

    private static ContentHttpResult ReloadManifest(ManifestStore manifest)
    {
        manifest.Reload();
        return ManagerJson.Result(new JsonObject { ["result"] = "manifest_reloaded" });
    }

    private static async Task<ContentHttpResult> SetEnvAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ManagerJson.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        if (!body.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String
            || key.GetString() is not { Length: > 0 } name || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ManagerException("invalid env var key");
        }

        if (!body.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String
            || value.GetString()!.Contains('\0', StringComparison.Ordinal))
        {
            throw new ManagerException("invalid env var value");
        }

        // Inherited by executors spawned afterwards and seen by later ${ENV[…]} expansion.
        Environment.SetEnvironmentVariable(name, value.GetString());
        return ManagerJson.Result(new JsonObject { ["result"] = "env_var_set", ["key"] = name });
    }
}
