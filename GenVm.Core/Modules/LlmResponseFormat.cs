namespace GenVm.Core.Modules;

/// <summary><c>response_format</c> of an LLM prompt (modules.md §2.5).</summary>
public enum LlmResponseFormat
{
    /// <summary><c>"text"</c> (the default): the answer data is a Str.</summary>
    Text,

    /// <summary><c>"json"</c>: the answer data is a Map (the top-level JSON value must be an object).</summary>
    Json,
}
