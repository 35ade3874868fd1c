using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Llm;

/// <summary>One model of a backend (modules.md §3.2, "Model object"); every key is optional.</summary>
public sealed class LlmModelOptions
{
    /// <summary><c>enabled</c>: false removes the model at startup.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary><c>supports_json</c>: the model may serve JSON and bool prompts (modules.md §3.7).</summary>
    [ConfigurationKeyName("supports_json")]
    public bool SupportsJson { get; set; }

    /// <summary><c>supports_image</c>: the model may serve prompts with images (modules.md §3.7).</summary>
    [ConfigurationKeyName("supports_image")]
    public bool SupportsImage { get; set; }

    /// <summary><c>use_max_completion_tokens</c>: OpenAI-style only, send <c>max_completion_tokens</c> instead of <c>max_tokens</c>.</summary>
    [ConfigurationKeyName("use_max_completion_tokens")]
    public bool UseMaxCompletionTokens { get; set; }
}
