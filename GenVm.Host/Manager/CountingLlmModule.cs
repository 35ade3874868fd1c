using GenVm.Core.Calldata;
using GenVm.Core.Modules;

namespace GenVm.Host.Manager;

/// <summary>The manager's LLM module as an in-process execution sees it: every prompt is counted for <c>/metrics</c>.</summary>
internal sealed class CountingLlmModule(ILlmModule inner, ManagerMetrics metrics) : ILlmModule
{
    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptAsync(LlmPromptPayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
        => CountAsync(inner.PromptAsync(payload, remainingFuelAsGen, cancellationToken));

    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptTemplateAsync(LlmTemplatePayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
        => CountAsync(inner.PromptTemplateAsync(payload, remainingFuelAsGen, cancellationToken));

    /// <inheritdoc/>
    public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken) => inner.GetStatsAsync(cancellationToken);

    private async Task<ModuleAnswer<LlmAnswer>> CountAsync(Task<ModuleAnswer<LlmAnswer>> call)
    {
        try
        {
            var answer = await call.ConfigureAwait(false);
            metrics.ModuleCall(ModuleKind.Llm, failed: !answer.IsOk);
            return answer;
        }
        catch
        {
            metrics.ModuleCall(ModuleKind.Llm, failed: true);
            throw;
        }
    }
}
