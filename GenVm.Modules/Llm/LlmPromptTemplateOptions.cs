using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Llm;

/// <summary>One prompt template (modules.md §3.3): <c>{system, user}</c> with <c>#{name}</c> placeholders.</summary>
public sealed class LlmPromptTemplateOptions
{
    /// <summary><c>system</c>: the system message.</summary>
    [ConfigurationKeyName("system")]
    public string System { get; set; } = "";

    /// <summary><c>user</c>: the user message.</summary>
    [ConfigurationKeyName("user")]
    public string User { get; set; } = "";
}
