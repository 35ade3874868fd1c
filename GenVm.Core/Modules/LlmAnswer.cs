using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>The <c>Ok</c> payload of an LLM request (modules.md §2.5): <c>{"consumed_gen": u64, "data": Str|Bool|Map}</c>.</summary>
/// <param name="Data">Str for text prompts and the leader template, Map for JSON prompts, Bool for the other templates.</param>
/// <param name="ConsumedGen">Gas the call consumed; the executor reports it with the host's <c>consume_fuel</c>.</param>
public sealed record LlmAnswer(CalldataValue Data, ulong ConsumedGen);
