using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Llm;

/// <summary>
/// The LLM module's provider configuration (modules.md §3.2: <c>backends</c>, <c>prompt_templates</c>), plus the
/// attempt policy we add on top of the reference (modules.md §5.7; docs/decisions.md "LLM: per-attempt timeout").
/// Process keys (<c>bind_address</c>, <c>threads</c>, …) belong to the module host and are ignored here.
/// </summary>
public sealed class LlmModuleOptions
{
    /// <summary><c>lua_script_path</c>: the module script; empty selects our embedded default (modules.md §5.4).</summary>
    [ConfigurationKeyName("lua_script_path")]
    public string LuaScriptPath { get; set; } = "";

    /// <summary><c>lua_path</c>: <c>require</c> search patterns, used verbatim (modules.md §5.1).</summary>
    [ConfigurationKeyName("lua_path")]
    public string LuaPath { get; set; } = "";

    /// <summary><c>vm_count</c>: Lua states in the pool.</summary>
    [ConfigurationKeyName("vm_count")]
    [Range(1, 256)]
    public int VmCount { get; set; } = 6;

    /// <summary><c>backends</c>: backend name → backend.</summary>
    [ConfigurationKeyName("backends")]
    public Dictionary<string, LlmBackendOptions> Backends { get; set; } = [];

    /// <summary><c>prompt_templates</c>.</summary>
    [ConfigurationKeyName("prompt_templates")]
    public LlmPromptTemplatesOptions PromptTemplates { get; set; } = new();

    /// <summary>
    /// <c>execution_budget</c> (ours): the most one execution (one Hello) may spend on providers, in the unit of the
    /// backends' token prices; absent means no limit. A backend whose estimated price no longer fits is skipped with the
    /// module error <c>BUDGET_EXCEEDED</c> (the default script then tries the next one).
    /// </summary>
    [ConfigurationKeyName("execution_budget")]
    public decimal? ExecutionBudget { get; set; }

    /// <summary>
    /// <c>cost_aware_selection</c> (ours): when true, <c>__llm.provider_order</c> (the order our default script tries
    /// backends in) is cheapest first by <c>input_token_price + output_token_price</c>, ties in configuration order.
    /// </summary>
    [ConfigurationKeyName("cost_aware_selection")]
    public bool CostAwareSelection { get; set; }

    /// <summary><c>allow_empty_backends</c> (the CLI's <c>--allow-empty-backends</c>): start even with no usable backend.</summary>
    [ConfigurationKeyName("allow_empty_backends")]
    public bool AllowEmptyBackends { get; set; }

    /// <summary>
    /// <c>attempt_timeout</c>: bound on one provider call (request and body). On expiry the backend counts as failed
    /// without a status and the next backend is tried. Not in the reference, which has none.
    /// </summary>
    [ConfigurationKeyName("attempt_timeout")]
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <c>connect_retries</c>: extra attempts on the same backend, only when the connection could not be established
    /// (so the prompt was never sent). Any other failure is never retried on the same backend (modules.md §3.7).
    /// </summary>
    [ConfigurationKeyName("connect_retries")]
    [Range(0, 5)]
    public int ConnectRetries { get; set; } = 2;

    /// <summary><c>connect_retry_delay</c>: base delay of the exponential backoff between connect retries.</summary>
    [ConfigurationKeyName("connect_retry_delay")]
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ConnectRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
