using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Llm;

/// <summary>One LLM backend (modules.md §3.2, "Backend object").</summary>
public sealed class LlmBackendOptions
{
    /// <summary><c>enabled</c>: false drops the backend.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary><c>host</c>: base URL without a trailing slash; the provider path is appended.</summary>
    [ConfigurationKeyName("host")]
    [Required]
    [Url]
    public string Host { get; set; } = "";

    /// <summary><c>provider</c>: the wire dialect (modules.md §3.5); <c>simulator</c> is not accepted, as in the reference.</summary>
    [ConfigurationKeyName("provider")]
    [Required]
    [AllowedValues(LlmProviderNames.OpenAiCompatible, LlmProviderNames.Ollama, LlmProviderNames.Anthropic, LlmProviderNames.Google)]
    public string Provider { get; set; } = "";

    /// <summary><c>key</c>: the API key (usually <c>${ENV[NAME]}</c>); empty disables the backend at startup. Never logged.</summary>
    [ConfigurationKeyName("key")]
    public string Key { get; set; } = "";

    /// <summary><c>models</c>: model name → model flags.</summary>
    [ConfigurationKeyName("models")]
    public Dictionary<string, LlmModelOptions> Models { get; set; } = [];

    /// <summary>
    /// <c>input_token_price</c> (ours, not in the reference): price of one prompt token, in whatever unit the operator
    /// budgets in; 0 means free or not tracked. Used for cost tracking, budgets and cost-aware selection.
    /// </summary>
    [ConfigurationKeyName("input_token_price")]
    public decimal InputTokenPrice { get; set; }

    /// <summary><c>output_token_price</c> (ours): price of one completion token; see <see cref="InputTokenPrice"/>.</summary>
    [ConfigurationKeyName("output_token_price")]
    public decimal OutputTokenPrice { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Provider} {Host}"; // never the key
}
