namespace GenVm.Modules.Llm;

/// <summary>The internal answer format of a provider call (modules.md §3.4).</summary>
internal enum LlmFormat
{
    /// <summary>Text answer (Str).</summary>
    Text,

    /// <summary>JSON object answer (Map).</summary>
    Json,

    /// <summary>Bool answer, read from the <c>result</c> key of a JSON answer.</summary>
    Bool,
}
