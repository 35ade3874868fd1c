namespace GenVm.Modules.Llm;

/// <summary>The <c>provider</c> values of a backend (modules.md §3.2).</summary>
public static class LlmProviderNames
{
    /// <summary>OpenAI chat completions and compatible gateways.</summary>
    public const string OpenAiCompatible = "openai-compatible";

    /// <summary>Ollama's <c>/api/generate</c>.</summary>
    public const string Ollama = "ollama";

    /// <summary>Anthropic messages.</summary>
    public const string Anthropic = "anthropic";

    /// <summary>Google Gemini <c>generateContent</c>.</summary>
    public const string Google = "google";
}
