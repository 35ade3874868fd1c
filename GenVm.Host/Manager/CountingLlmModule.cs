using GenVm.Core.Calldata;
using GenVm.Core.Modules;

namespace GenVm.Host.Manager;

/// <summary>The manager's LLM module as an in-process execution or a listener connection sees it: every prompt is counted for <c>/metrics</c>.</summary>
internal sealed class CountingLlmModule(ILlmModule inner, ManagerMetrics metrics) : ILlmModule
{
    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptAsync(LlmPromptPayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
        => metrics.CountAsync(ModuleKind.Llm, inner.PromptAsync(payload, remainingFuelAsGen, cancellationToken));

    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptTemplateAsync(LlmTemplatePayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
        => metrics.CountAsync(ModuleKind.Llm, inner.PromptTemplateAsync(payload, remainingFuelAsGen, cancellationToken));

    /// <inheritdoc/>
    public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);
}
