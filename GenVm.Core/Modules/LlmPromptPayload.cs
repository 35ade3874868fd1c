using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>The <c>payload</c> of an LLM <c>Prompt</c> request (modules.md §2.5).</summary>
/// <param name="Prompt">The prompt text.</param>
/// <param name="Images">Raw image files (PNG or JFIF JPEG); the executor allows at most 2 (wasm-abi.md §4).</param>
/// <param name="ResponseFormat">Text or JSON answer.</param>
public sealed record LlmPromptPayload(string Prompt, IReadOnlyList<ReadOnlyMemory<byte>> Images, LlmResponseFormat ResponseFormat)
{
    /// <summary><c>{"images": [Bytes…], "prompt": Str, "response_format": "text"|"json"}</c>.</summary>
    public CalldataMap ToCalldata()
        => CalldataValue.FromMap(
            ("images", CalldataValue.FromArray(Images.Select(i => (CalldataValue)CalldataValue.FromBytes(i.Span)))),
            ("prompt", CalldataValue.FromString(Prompt)),
            ("response_format", CalldataValue.FromString(ResponseFormat == LlmResponseFormat.Json ? "json" : "text")));
}
