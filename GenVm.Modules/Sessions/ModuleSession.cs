using GenVm.Core.Modules;
using GenVm.Modules.Llm;
using GenVm.Modules.Transport;
using GenVm.Modules.Web;

namespace GenVm.Modules.Sessions;

/// <summary>
/// The modules as one execution sees them (modules.md §2.3): opened with the execution's Hello (cookie and host data)
/// and disposed at its end. An in-process module is wrapped so every call carries the Hello (the Lua <c>ctx</c> gets
/// <c>cookie</c> and <c>host_data</c>, §5.1) and the execution's cost ledger; a WebSocket client gets a connection of
/// its own that sends this Hello; any other implementation (tests) is used as it is.
/// </summary>
internal sealed class ModuleSession : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private ModuleSession(ModuleHello hello) => Hello = hello;

    /// <summary>The Hello every connection of this execution starts with.</summary>
    public ModuleHello Hello { get; }

    /// <summary>The LLM module of this execution, or null when none is configured.</summary>
    public ILlmModule? Llm { get; private set; }

    /// <summary>The web module of this execution, or null when none is configured.</summary>
    public IWebModule? Web { get; private set; }

    /// <summary>
    /// Opens the session of one execution over the process-wide modules; an in-process module writes its records about
    /// this execution's calls to <paramref name="log"/> (the execution's log) when given.
    /// </summary>
    public static ModuleSession Open(ILlmModule? llm, IWebModule? web, ModuleHello hello, Microsoft.Extensions.Logging.ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(hello);
        var session = new ModuleSession(hello);
        session.Llm = llm switch
        {
            LlmModule local => new LlmSession(local, hello) { Log = log },
            WebSocketLlmModule remote => session.Own(new WebSocketLlmModule(remote.Options, hello)),
            _ => llm,
        };
        session.Web = web switch
        {
            WebModule local => new WebSession(local, hello),
            WebSocketWebModule remote => session.Own(new WebSocketWebModule(remote.Options, hello)),
            _ => web,
        };
        return session;
    }

    private T Own<T>(T value)
        where T : IAsyncDisposable
    {
        _owned.Add(value);
        return value;
    }

    /// <summary>Closes the connections this execution opened (WebSocket Close, §2.3 step 5).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }

        _owned.Clear();
    }
}
