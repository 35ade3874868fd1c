using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Modules.Llm;
using GenVm.Modules.Scripting;
using GenVm.Modules.Web;

namespace GenVm.Modules.Transport;

/// <summary>Endpoints of the two modules over their interfaces (in-process implementations get the Hello).</summary>
internal static class ModuleEndpoints
{
    /// <summary>The LLM endpoint (§2.5).</summary>
    public static IModuleEndpoint For(ILlmModule module) => new LlmEndpoint(module);

    /// <summary>The web endpoint (§2.6).</summary>
    public static IModuleEndpoint For(IWebModule module) => new WebEndpoint(module);

    private static LuaExecution Execution(ModuleHello hello, CancellationToken token) => new(hello.Cookie, hello.HostData, token);

    private static async Task<CalldataValue> GuardAsync(Func<Task<CalldataValue>> handle)
    {
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (ModuleFatalException e)
        {
            return ModuleWire.Fatal(e.Message);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException or CalldataFormatException)
        {
            // modules.md §2.3: a request that does not decode is a FatalError whose text starts with `handling`.
            return ModuleWire.Fatal("handling: " + e.Message);
        }
    }

    private static CalldataValue Envelope<T>(ModuleAnswer<T> answer, Func<T, CalldataValue> ok)
        where T : class
        => answer.IsOk ? ModuleWire.Ok(ok(answer.Value)) : ModuleWire.UserError(answer.UserError);

    private sealed class LlmEndpoint(ILlmModule module) : IModuleEndpoint
    {
        public Task<CalldataValue> HandleAsync(ModuleHello hello, CalldataValue request, CancellationToken cancellationToken)
            => GuardAsync(async () =>
            {
                if (request is CalldataString { Value: "GetStats" })
                {
                    return ModuleWire.Ok(await module.GetStatsAsync(cancellationToken).ConfigureAwait(false));
                }

                var map = request as CalldataMap is { Count: 1 } m ? m : throw new FormatException("unknown LLM message");
                var body = map.GetValue(0).AsMap();
                var fuel = body.TryGetValue("remaining_fuel_as_gen", out var f) ? (ulong)f.AsNumber() : 0;
                var payload = body["payload"].AsMap();
                var execution = Execution(hello, cancellationToken);
                ModuleAnswer<LlmAnswer> answer = map.GetKey(0) switch
                {
                    "Prompt" when module is LlmModule local => await local.PromptAsync(ModuleWire.ParsePrompt(payload), fuel, execution).ConfigureAwait(false),
                    "Prompt" => await module.PromptAsync(ModuleWire.ParsePrompt(payload), fuel, cancellationToken).ConfigureAwait(false),
                    "PromptTemplate" when module is LlmModule local => await local.PromptTemplateAsync(ModuleWire.ParseTemplate(payload), fuel, execution).ConfigureAwait(false),
                    "PromptTemplate" => await module.PromptTemplateAsync(ModuleWire.ParseTemplate(payload), fuel, cancellationToken).ConfigureAwait(false),
                    var other => throw new FormatException($"unknown LLM message `{other}`"),
                };
                return Envelope(answer, a => CalldataValue.FromMap(("consumed_gen", a.ConsumedGen), ("data", a.Data)));
            });
    }

    private sealed class WebEndpoint(IWebModule module) : IModuleEndpoint
    {
        public Task<CalldataValue> HandleAsync(ModuleHello hello, CalldataValue request, CancellationToken cancellationToken)
            => GuardAsync(async () =>
            {
                if (request is CalldataString { Value: "GetStats" })
                {
                    return ModuleWire.Ok(await module.GetStatsAsync(cancellationToken).ConfigureAwait(false));
                }

                var map = request as CalldataMap is { Count: 1 } m ? m : throw new FormatException("unknown web message");
                var payload = map.GetValue(0).AsMap();
                var execution = Execution(hello, cancellationToken);
                switch (map.GetKey(0))
                {
                    case "Render":
                    {
                        var render = ModuleWire.ParseRender(payload);
                        var answer = module is WebModule local
                            ? await local.RenderAsync(render, execution).ConfigureAwait(false)
                            : await module.RenderAsync(render, cancellationToken).ConfigureAwait(false);
                        return Envelope(answer, a => a.ToCalldata());
                    }

                    case "Request":
                    {
                        var http = ModuleWire.ParseRequest(payload);
                        var answer = module is WebModule local
                            ? await local.RequestAsync(http, execution).ConfigureAwait(false)
                            : await module.RequestAsync(http, cancellationToken).ConfigureAwait(false);
                        return Envelope(answer, a => a.ToCalldata());
                    }

                    default:
                        throw new FormatException($"unknown web message `{map.GetKey(0)}`");
                }
            });
    }
}
