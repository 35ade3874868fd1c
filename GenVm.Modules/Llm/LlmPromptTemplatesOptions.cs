using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Llm;

/// <summary>
/// <c>prompt_templates</c> (modules.md §3.3). The defaults are our own wording of the shipped templates' intent (the
/// reference text is not copied); a configuration file replaces them.
/// </summary>
public sealed class LlmPromptTemplatesOptions
{
    /// <summary><c>eq_comparative</c>: answer is a bool (<c>result</c>).</summary>
    [ConfigurationKeyName("eq_comparative")]
    public LlmPromptTemplateOptions EqComparative { get; set; } = new()
    {
        System = "You are a strict judge. Decide whether two outputs both satisfy a comparison criterion.",
        User = """
            <primary_output>#{leader_answer}</primary_output>
            <comparison_output>#{validator_answer}</comparison_output>
            <comparison_criteria>#{principle}</comparison_criteria>
            Rules: a missing or empty section means false; every criterion must be met in full; ambiguity means false;
            judge only the stated criteria; ignore formatting unless the criteria mention it; assume nothing else.
            Reply with only a JSON object: a short string "reason" followed by a boolean "result".
            """,
    };

    /// <summary><c>eq_non_comparative_leader</c>: answer is text.</summary>
    [ConfigurationKeyName("eq_non_comparative_leader")]
    public LlmPromptTemplateOptions EqNonComparativeLeader { get; set; } = new()
    {
        System = "Carry out the task on the input so that the result meets every criterion.",
        User = """
            <task>#{task}</task>
            <criteria>#{criteria}</criteria>
            <input>#{input}</input>
            Rules: follow the task exactly; meet all criteria; use only the input; add no commentary.
            Output only the result of the task (valid JSON if the task asks for JSON).
            """,
    };

    /// <summary><c>eq_non_comparative_validator</c>: answer is a bool (<c>result</c>).</summary>
    [ConfigurationKeyName("eq_non_comparative_validator")]
    public LlmPromptTemplateOptions EqNonComparativeValidator { get; set; } = new()
    {
        System = "You are a strict judge. Decide whether an output is a valid result of the task for the input under the criteria.",
        User = """
            <task>#{task}</task>
            <input>#{input}</input>
            <criteria>#{criteria}</criteria>
            <output>#{output}</output>
            Rules: a missing or empty output means false; every criterion must be met in full; ambiguity means false;
            judge only the stated criteria; ignore formatting unless the criteria mention it; assume nothing else.
            Reply with only a JSON object: a short string "reason" followed by a boolean "result".
            """,
    };
}
