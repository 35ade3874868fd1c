using System.Text.Json;

namespace GenVm.Modules.Llm;

/// <summary>
/// Token usage reported by the provider answers of one <c>exec_prompt_in_provider</c> call, for cost tracking. The
/// provider clients record into <see cref="Current"/>, which the call sets for its own async flow, so the dialects'
/// signatures stay those of modules.md §3.4 and concurrent executions never see each other's counts.
/// </summary>
internal sealed class LlmUsage
{
    private static readonly AsyncLocal<LlmUsage?> Ambient = new();
    private readonly Lock _lock = new();

    /// <summary>The meter of the current provider call, or null outside one.</summary>
    public static LlmUsage? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    /// <summary>Whether any answer reported usage.</summary>
    public bool Reported { get; private set; }

    /// <summary>Prompt (input) tokens reported.</summary>
    public long PromptTokens { get; private set; }

    /// <summary>Completion (output) tokens reported.</summary>
    public long CompletionTokens { get; private set; }

    /// <summary>Adds one answer's usage.</summary>
    public void Add(long promptTokens, long completionTokens)
    {
        lock (_lock)
        {
            Reported = true;
            PromptTokens += Math.Max(0, promptTokens);
            CompletionTokens += Math.Max(0, completionTokens);
        }
    }

    /// <summary>
    /// Reads two integer counters at <paramref name="container"/> of a provider answer (e.g. <c>usage</c> with
    /// <c>prompt_tokens</c>/<c>completion_tokens</c>) into <see cref="Current"/>; missing or odd fields are ignored.
    /// </summary>
    public static void RecordFrom(JsonElement answer, string? container, string promptField, string completionField)
    {
        if (Current is not { } meter || answer.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var scope = answer;
        if (container is not null && (!answer.TryGetProperty(container, out scope) || scope.ValueKind != JsonValueKind.Object))
        {
            return;
        }

        static long Count(JsonElement scope, string name)
            => scope.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

        if (scope.TryGetProperty(promptField, out _) || scope.TryGetProperty(completionField, out _))
        {
            meter.Add(Count(scope, promptField), Count(scope, completionField));
        }
    }
}
