using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Modules.Sessions;

namespace GenVm.Modules.Transport;

/// <summary>Endpoints of the two modules over their interfaces: each connection is one <see cref="ModuleSession"/> (in-process implementations get the Hello).</summary>
internal static class ModuleEndpoints
{
    /// <summary>
    /// The LLM endpoint (§2.5); <paramref name="wrapSession"/> wraps each connection's session (the manager counts the
    /// calls of executor processes for <c>/metrics</c>). The session, not the module, is wrapped, so the session still
    /// recognises an in-process module and gives it the connection's Hello.
    /// </summary>
    public static IModuleEndpoint For(ILlmModule module, Func<ILlmModule, ILlmModule>? wrapSession = null) => new LlmEndpoint(module, wrapSession);

    /// <summary>The web endpoint (§2.6); <paramref name="wrapSession"/> as for the LLM endpoint.</summary>
    public static IModuleEndpoint For(IWebModule module, Func<IWebModule, IWebModule>? wrapSession = null) => new WebEndpoint(module, wrapSession);

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

    private sealed class LlmEndpoint(ILlmModule module, Func<ILlmModule, ILlmModule>? wrapSession) : IModuleEndpoint
    {
        public IModuleConnection Open(ModuleHello hello)
        {
            var session = ModuleSession.Open(module, null, hello).Llm!;
            return new LlmConnection(wrapSession is null ? session : wrapSession(session));
        }
    }

    private sealed class LlmConnection(ILlmModule session) : IModuleConnection
    {
        public Task<CalldataValue> HandleAsync(CalldataValue request, CancellationToken cancellationToken)
            => GuardAsync(async () =>
            {
                if (request is CalldataString { Value: "GetStats" })
                {
                    return ModuleWire.Ok(await session.GetStatsAsync(cancellationToken).ConfigureAwait(false));
                }

                var map = request as CalldataMap is { Count: 1 } m ? m : throw new FormatException("unknown LLM message");
                var body = map.GetValue(0).AsMap();
                var fuel = body.TryGetValue("remaining_fuel_as_gen", out var f) ? (ulong)f.AsNumber() : 0;
                var payload = body["payload"].AsMap();
                ModuleAnswer<LlmAnswer> answer = map.GetKey(0) switch
                {
                    "Prompt" => await session.PromptAsync(ModuleWire.ParsePrompt(payload), fuel, cancellationToken).ConfigureAwait(false),
                    "PromptTemplate" => await session.PromptTemplateAsync(ModuleWire.ParseTemplate(payload), fuel, cancellationToken).ConfigureAwait(false),
                    var other => throw new FormatException($"unknown LLM message `{other}`"),
                };
                return Envelope(answer, a => CalldataValue.FromMap(("consumed_gen", a.ConsumedGen), ("data", a.Data)));
            });
    }

    private sealed class WebEndpoint(IWebModule module, Func<IWebModule, IWebModule>? wrapSession) : IModuleEndpoint
    {
        public IModuleConnection Open(ModuleHello hello)
        {
            var session = ModuleSession.Open(null, module, hello).Web!;
            return new WebConnection(wrapSession is null ? session : wrapSession(session));
        }
    }

    private sealed class WebConnection(IWebModule session) : IModuleConnection
    {
        public Task<CalldataValue> HandleAsync(CalldataValue request, CancellationToken cancellationToken)
            => GuardAsync(async () =>
            {
                if (request is CalldataString { Value: "GetStats" })
                {
                    return ModuleWire.Ok(await session.GetStatsAsync(cancellationToken).ConfigureAwait(false));
                }

                var map = request as CalldataMap is { Count: 1 } m ? m : throw new FormatException("unknown web message");
                var payload = map.GetValue(0).AsMap();
                return map.GetKey(0) switch
                {
                    "Render" => Envelope(await session.RenderAsync(ModuleWire.ParseRender(payload), cancellationToken).ConfigureAwait(false), a => a.ToCalldata()),
                    "Request" => Envelope(await session.RequestAsync(ModuleWire.ParseRequest(payload), cancellationToken).ConfigureAwait(false), a => a.ToCalldata()),
                    var other => throw new FormatException($"unknown web message `{other}`"),
                };
            });
    }
}
