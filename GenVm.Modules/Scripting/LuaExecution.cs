using GenVm.Core.Calldata;

namespace GenVm.Modules.Scripting;

/// <summary>
/// What one entry call runs for: the execution's Hello (modules.md §2.3: cookie, host data) and its cancellation.
/// Host functions read it through <see cref="LuaHostCall.Execution"/>.
/// </summary>
/// <param name="Cookie">The Hello cookie (log correlation only).</param>
/// <param name="HostData">The Hello <c>host_data</c> map (<c>node_address</c>, <c>tx_id</c>, extra keys).</param>
/// <param name="CancellationToken">Cancels host calls and interrupts running Lua code.</param>
internal sealed record LuaExecution(string Cookie, CalldataMap HostData, CancellationToken CancellationToken)
{
    /// <summary>An execution without a Hello (in-process use): empty cookie and host data.</summary>
    public static LuaExecution Anonymous(CancellationToken cancellationToken)
        => new("", CalldataValue.FromMap(Enumerable.Empty<KeyValuePair<string, CalldataValue>>()), cancellationToken);

    /// <summary>The execution's LLM cost ledger (one per execution; a fresh one for an anonymous call).</summary>
    public Llm.LlmCostLedger Costs { get; init; } = new();

    /// <summary>
    /// The execution's log (the executor's, so the module's records about this execution reach <c>genvm_log</c> like the
    /// executor's own); null keeps the module's own logger.
    /// </summary>
    public Microsoft.Extensions.Logging.ILogger? Log { get; init; }

    /// <summary>A string field of the host data, or null.</summary>
    public string? HostString(string key) => HostData.TryGetValue(key, out var v) && v is CalldataString s ? s.Value : null;
}
