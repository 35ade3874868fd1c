using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Modules.Llm;
using GenVm.Modules.Scripting;

namespace GenVm.Modules.Sessions;

/// <summary>
/// The in-process LLM module for one execution: every call runs with the execution's Hello (modules.md §2.3, the Lua
/// <c>ctx.cookie</c> / <c>ctx.host_data</c>) and its cost ledger; <c>GetStats</c> adds this execution's costs.
/// </summary>
internal sealed class LlmSession : ILlmModule
{
    private readonly LlmModule _module;
    private readonly ModuleHello _hello;

    public LlmSession(LlmModule module, ModuleHello hello)
    {
        _module = module;
        _hello = hello;
    }

    /// <summary>The execution's log: the module's records about this execution's calls go there; null keeps the module's own.</summary>
    public Microsoft.Extensions.Logging.ILogger? Log { get; init; }

    /// <summary>What this execution spent so far.</summary>
    public LlmCostLedger Costs { get; } = new();

    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptAsync(LlmPromptPayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
        => _module.PromptAsync(payload, remainingFuelAsGen, Execution(cancellationToken));

    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptTemplateAsync(LlmTemplatePayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
        => _module.PromptTemplateAsync(payload, remainingFuelAsGen, Execution(cancellationToken));

    /// <inheritdoc/>
    public async Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken)
    {
        var module = (CalldataMap)await _module.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        var entries = module.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        entries["execution"] = Costs.ToCalldata();
        return CalldataValue.FromMap(entries);
    }

    private LuaExecution Execution(CancellationToken cancellationToken)
        => new(_hello.Cookie, _hello.HostData, cancellationToken) { Costs = Costs, Log = Log };
}
