namespace GenVm.Core.Modules;

/// <summary>Template <c>EqComparative</c>: do the two answers agree under the principle? Answer Bool.</summary>
/// <param name="LeaderAnswer"><c>leader_answer</c>.</param>
/// <param name="ValidatorAnswer"><c>validator_answer</c>.</param>
/// <param name="Principle"><c>principle</c>.</param>
public sealed record EqComparativeTemplate(string LeaderAnswer, string ValidatorAnswer, string Principle) : LlmTemplatePayload
{
    /// <inheritdoc/>
    public override string TemplateName => "EqComparative";

    /// <inheritdoc/>
    public override bool ExpectsBoolAnswer => true;

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, string>> Variables =>
    [
        new("leader_answer", LeaderAnswer),
        new("principle", Principle),
        new("validator_answer", ValidatorAnswer),
    ];
}
