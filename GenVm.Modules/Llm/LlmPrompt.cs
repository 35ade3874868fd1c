namespace GenVm.Modules.Llm;

/// <summary>The internal prompt handed to a provider (modules.md §3.4).</summary>
/// <param name="SystemMessage">Optional system message.</param>
/// <param name="UserMessage">The user message.</param>
/// <param name="Temperature">Sampling temperature (an f32 in the reference).</param>
/// <param name="Images">Raw PNG / JFIF JPEG files.</param>
/// <param name="MaxTokens">Token bound.</param>
/// <param name="UseMaxCompletionTokens">OpenAI-style: send <c>max_completion_tokens</c> instead of <c>max_tokens</c>.</param>
internal sealed record LlmPrompt(
    string? SystemMessage,
    string UserMessage,
    float Temperature,
    IReadOnlyList<ReadOnlyMemory<byte>> Images,
    uint MaxTokens,
    bool UseMaxCompletionTokens);
