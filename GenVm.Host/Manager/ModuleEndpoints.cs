using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GenVm.Host.Manager;

/// <summary><c>POST /module/start</c> and <c>POST /module/stop</c> (manager.md §4, §5.3).</summary>
internal static class ModuleEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapModuleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/module/start", StartAsync);
        app.MapPost("/module/stop", StopAsync);
        return app;
    }

    private static async Task<ContentHttpResult> StartAsync(HttpRequest request, ModuleService modules, CancellationToken cancellationToken)
    {
        var body = await ManagerJson.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var kind = ParseKind(body);

        // manager.md §4: `config` is a required key whose value may be null.
        var config = ManagerJson.Required(body, "config");
        if (config.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            throw ManagerException.BadRequest("invalid type for field `config`: expected an object or null");
        }

        var allowEmpty = ManagerJson.Optional(body, "allow_empty_backends") is { } a && ManagerJson.Bool(a, "allow_empty_backends");
        var configObject = config.ValueKind == JsonValueKind.Object ? JsonNode.Parse(config.GetRawText())!.AsObject() : null;
        await modules.StartAsync(kind, configObject, allowEmpty, cancellationToken).ConfigureAwait(false);
        return ManagerJson.Result(new JsonObject { ["result"] = "module_started" });
    }

    private static async Task<ContentHttpResult> StopAsync(HttpRequest request, ModuleService modules, CancellationToken cancellationToken)
    {
        var body = await ManagerJson.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var stopped = modules.Stop(ParseKind(body));
        return ManagerJson.Result(new JsonObject { ["result"] = stopped ? "module_stopped" : "module_not_running" });
    }

    private static ModuleKind ParseKind(JsonElement body)
    {
        var text = ManagerJson.String(ManagerJson.Required(body, "module_type"), "module_type");
        return ModuleService.TryParseKind(text, out var kind)
            ? kind
            : throw ManagerException.BadRequest($"unknown variant `{text}`, expected one of `Llm`, `Web`, `llm`, `web`");
    }
}
