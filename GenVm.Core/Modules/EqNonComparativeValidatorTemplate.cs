namespace GenVm.Core.Modules;

/// <summary>Template <c>EqNonComparativeValidator</c>: does the output satisfy the criteria? Answer Bool.</summary>
/// <param name="Task"><c>task</c>.</param>
/// <param name="Criteria"><c>criteria</c>.</param>
/// <param name="Input"><c>input</c>.</param>
/// <param name="Output"><c>output</c>.</param>
public sealed record EqNonComparativeValidatorTemplate(string Task, string Criteria, string Input, string Output) : LlmTemplatePayload
{
    /// <inheritdoc/>
    public override string TemplateName => "EqNonComparativeValidator";

    /// <inheritdoc/>
    public override bool ExpectsBoolAnswer => true;

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, string>> Variables =>
    [
        new("criteria", Criteria),
        new("input", Input),
        new("output", Output),
        new("task", Task),
    ];
}
