using GenVm.Core.Host;

namespace GenVm.Core.Supervisor;

/// <summary>What a transaction reported to the host (host-protocol.md §7.1 steps 6-7, §9).</summary>
/// <param name="Result">The result sent with <c>consume_result</c>.</param>
/// <param name="Disagreement">The call number sent with <c>notify_nondet_disagreement</c>, if a validator disagreed.</param>
internal sealed record TransactionOutcome(ContractResult Result, uint? Disagreement);
