using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>
/// The <c>payload</c> of an LLM <c>PromptTemplate</c> request (modules.md §2.5): internally tagged, the variant name
/// is the <c>"template"</c> key and the variables sit in the same map.
/// </summary>
public abstract record LlmTemplatePayload
{
    private protected LlmTemplatePayload()
    {
    }

    /// <summary>The variant name: <c>EqComparative</c>, <c>EqNonComparativeLeader</c> or <c>EqNonComparativeValidator</c>.</summary>
    public abstract string TemplateName { get; }

    /// <summary>
    /// True when the answer data must be a Bool (the comparative and validator templates), false when it must be a
    /// Str (the leader template); otherwise the executor raises the internal error <c>unmatched result</c>.
    /// </summary>
    public abstract bool ExpectsBoolAnswer { get; }

    /// <summary>The template variables by name (without <c>template</c>).</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> Variables { get; }

    /// <summary>The internally tagged map: the variables plus <c>"template": TemplateName</c>.</summary>
    public CalldataMap ToCalldata()
        => CalldataValue.FromMap(
            Variables.Select(v => new KeyValuePair<string, CalldataValue>(v.Key, CalldataValue.FromString(v.Value)))
                .Append(new KeyValuePair<string, CalldataValue>("template", CalldataValue.FromString(TemplateName))));
}
