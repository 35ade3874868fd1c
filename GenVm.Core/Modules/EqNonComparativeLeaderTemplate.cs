namespace GenVm.Core.Modules;

/// <summary>Template <c>EqNonComparativeLeader</c>: perform the task on the input. Answer Str.</summary>
/// <param name="Task"><c>task</c>.</param>
/// <param name="Criteria"><c>criteria</c>.</param>
/// <param name="Input"><c>input</c>.</param>
public sealed record EqNonComparativeLeaderTemplate(string Task, string Criteria, string Input) : LlmTemplatePayload
{
    /// <inheritdoc/>
    public override string TemplateName => "EqNonComparativeLeader";

    /// <inheritdoc/>
    public override bool ExpectsBoolAnswer => false;

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, string>> Variables =>
    [
        new("criteria", Criteria),
        new("input", Input),
        new("task", Task),
    ];
}
