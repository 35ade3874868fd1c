using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using Microsoft.Extensions.Options;

namespace GenVm.Modules.Transport;

/// <summary><see cref="ILlmModule"/> over WebSocket (modules.md §2.5).</summary>
internal sealed class WebSocketLlmModule : ILlmModule, IAsyncDisposable
{
    /// <summary>Options name of the remote LLM module.</summary>
    public const string OptionsName = "llm-remote";

    private readonly WebSocketModuleConnection _connection;

    public WebSocketLlmModule(IOptionsMonitor<RemoteModuleOptions> options)
    {
        Options = options.Get(OptionsName);
        _connection = new WebSocketModuleConnection(Options);
    }

    /// <summary>A client whose connection opens with one execution's <paramref name="hello"/> (modules.md §2.3).</summary>
    public WebSocketLlmModule(RemoteModuleOptions options, ModuleHello hello)
    {
        Options = options;
        _connection = new WebSocketModuleConnection(options, hello);
    }

    /// <summary>Address and timeouts of the remote module.</summary>
    public RemoteModuleOptions Options { get; }

    /// <summary>The connection (tests).</summary>
    internal WebSocketModuleConnection Connection => _connection;

    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptAsync(LlmPromptPayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
        => SendAsync("Prompt", payload.ToCalldata(), remainingFuelAsGen, cancellationToken);

    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptTemplateAsync(LlmTemplatePayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
        => SendAsync("PromptTemplate", payload.ToCalldata(), remainingFuelAsGen, cancellationToken);

    /// <inheritdoc/>
    public async Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken)
    {
        var (ok, error) = await _connection.RequestAsync(CalldataValue.FromString("GetStats"), cancellationToken).ConfigureAwait(false);
        return ok ?? error!;
    }

    private async Task<ModuleAnswer<LlmAnswer>> SendAsync(string kind, CalldataMap payload, ulong fuel, CancellationToken cancellationToken)
    {
        var request = CalldataValue.FromMap((kind, CalldataValue.FromMap(("payload", payload), ("remaining_fuel_as_gen", fuel))));
        var (ok, error) = await _connection.RequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (ok is null)
        {
            return ModuleAnswer<LlmAnswer>.Error(error!);
        }

        try
        {
            var map = ok.AsMap();
            return ModuleAnswer<LlmAnswer>.Ok(new LlmAnswer(map["data"], (ulong)map["consumed_gen"].AsNumber()));
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or OverflowException)
        {
            throw new ModuleFatalException("LLM module answered a malformed PromptAnswer", e);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
