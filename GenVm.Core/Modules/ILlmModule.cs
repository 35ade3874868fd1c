using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>
/// The LLM module as the executor sees it (host-protocol.md §11, modules.md §2.3, §2.5): one session per run,
/// strictly one outstanding request at a time. Implementations: in-process, or WebSocket to
/// <c>modules.llm.address</c> (connected lazily, opened with the Hello <c>{"cookie", "host_data"}</c>).
/// </summary>
public interface ILlmModule
{
    /// <summary>
    /// Sends <c>{"Prompt": {"payload": …, "remaining_fuel_as_gen": u64}}</c>.
    /// </summary>
    /// <param name="payload">The prompt.</param>
    /// <param name="remainingFuelAsGen">What the host's <c>remaining_fuel_as_gen</c> returned right before this call.</param>
    /// <param name="cancellationToken">Run cancellation; a cancelled call ends as the VM error <c>timeout</c>.</param>
    /// <returns><c>Ok</c> with the answer, or the module's user error.</returns>
    /// <exception cref="ModuleFatalException">The module answered <c>FatalError</c> or the transport failed.</exception>
    Task<ModuleAnswer<LlmAnswer>> PromptAsync(LlmPromptPayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken);

    /// <summary>
    /// Sends <c>{"PromptTemplate": {"payload": …, "remaining_fuel_as_gen": u64}}</c>. The caller checks the answer kind
    /// against <see cref="LlmTemplatePayload.ExpectsBoolAnswer"/>.
    /// </summary>
    /// <param name="payload">The template and its variables.</param>
    /// <param name="remainingFuelAsGen">What the host's <c>remaining_fuel_as_gen</c> returned right before this call.</param>
    /// <param name="cancellationToken">Run cancellation.</param>
    /// <returns><c>Ok</c> with the answer, or the module's user error.</returns>
    /// <exception cref="ModuleFatalException">The module answered <c>FatalError</c> or the transport failed.</exception>
    Task<ModuleAnswer<LlmAnswer>> PromptTemplateAsync(LlmTemplatePayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken);

    /// <summary>
    /// Sends <c>"GetStats"</c> at the end of a run that used the module (and was not cancelled); the reply's shape is
    /// unspecified and only logged.
    /// </summary>
    /// <exception cref="ModuleFatalException">The module answered <c>FatalError</c> or the transport failed.</exception>
    Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken);
}
