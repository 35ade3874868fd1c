using System.Text.Json;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Modules.Scripting;
using Microsoft.Extensions.Logging;

namespace GenVm.Modules.Llm;

/// <summary>The LLM module's Lua side: <c>__llm</c> (modules.md §5.2) and running an entry point (§5.1, §5.6).</summary>
internal sealed partial class LlmModule
{
    private void AddBindings(LuaBindings bindings)
    {
        bindings
            .Value("__dflt", "null", () => LuaNull.Instance)
            .Function("__llm", "exec_prompt_in_provider", ExecPromptInProviderAsync)
            .Value("__llm", "providers", ProvidersTable)
            .Value("__llm", "templates", TemplatesTable)

            // Not in the reference: configuration order, so our default script is reproducible (docs/decisions.md).
            .Value("__llm", "provider_order", () => LuaTableValue.FromList(_backends.Select(b => (object?)b.Name)))
            .Value("__llm", "model_order", () => _backends.Aggregate(
                new LuaTableValue(), (t, b) => t.Add(b.Name, LuaTableValue.FromList(b.Models.Select(m => (object?)m.Key)))));
    }

    private object ProvidersTable()
    {
        var providers = new LuaTableValue();
        foreach (var backend in _backends)
        {
            var models = new LuaTableValue();
            foreach (var (name, model) in backend.Models)
            {
                models.Add(name, new LuaTableValue()
                    .Add("enabled", model.Enabled)
                    .Add("supports_json", model.SupportsJson)
                    .Add("supports_image", model.SupportsImage)
                    .Add("use_max_completion_tokens", model.UseMaxCompletionTokens)
                    .Add("meta", new LuaTableValue()));
            }

            // Host and key are not exposed (§5.2).
            providers.Add(backend.Name, new LuaTableValue().Add("models", models));
        }

        return providers;
    }

    private object TemplatesTable()
    {
        static LuaTableValue Template(LlmPromptTemplateOptions t) => new LuaTableValue().Add("system", t.System).Add("user", t.User);
        var templates = _options.PromptTemplates;
        return new LuaTableValue()
            .Add("eq_comparative", Template(templates.EqComparative))
            .Add("eq_non_comparative_leader", Template(templates.EqNonComparativeLeader))
            .Add("eq_non_comparative_validator", Template(templates.EqNonComparativeValidator));
    }

    private async Task<ModuleAnswer<LlmAnswer>> RunAsync(string entry, LuaTableValue args, ulong remainingFuelAsGen, LuaExecution execution)
    {
        Interlocked.Increment(ref _prompts);
        var ctx = new LuaTableValue()
            .Add("__ctx_dflt", new LuaTableValue())
            .Add("__ctx_llm", new LuaTableValue())
            .Add("cookie", execution.Cookie)
            .Add("host_data", execution.HostData);
        object? result;
        try
        {
            result = await _pool.CallAsync(entry, [ctx, args, (long)Math.Min(remainingFuelAsGen, long.MaxValue)], execution).ConfigureAwait(false);
        }
        catch (LuaModuleError e) when (!e.Fatal)
        {
            return ModuleAnswer<LlmAnswer>.Error(UserErrorValue(e));
        }
        catch (Exception e) when (e is LuaModuleError or LuaScriptException)
        {
            throw new ModuleFatalException(Redact(e.Message), e);
        }

        return ModuleAnswer<LlmAnswer>.Ok(ToAnswer(result));
    }

    /// <summary>The contract-visible user error <c>{causes, ctx}</c> (modules.md §2.3; <c>fatal</c> is not included).</summary>
    internal static CalldataValue UserErrorValue(LuaModuleError e)
        => CalldataValue.FromMap(
            ("causes", CalldataValue.FromArray(e.Causes.Select(c => (CalldataValue)CalldataValue.FromString(c)))),
            ("ctx", LuaValues.ToCalldata(e.Context) is CalldataMap m ? m : CalldataValue.FromMap(Enumerable.Empty<KeyValuePair<string, CalldataValue>>())));

    private static LlmAnswer ToAnswer(object? result)
    {
        try
        {
            if (result is not LuaTableValue table)
            {
                throw new LuaScriptException("the script must return a table {data, consumed_gen}");
            }

            CalldataValue data = table["data"] switch
            {
                byte[] bytes => CalldataValue.FromString(LuaValues.TryUtf8(bytes) ?? throw new LuaScriptException("answer text is not valid UTF-8")),
                bool b => CalldataValue.FromBool(b),
                LuaTableValue t => LuaValues.ToCalldata(t),
                _ => throw new LuaScriptException("answer data must be a string, a bool or a table"),
            };
            var consumed = table["consumed_gen"] switch
            {
                long l and >= 0 => (ulong)l,
                double d and >= 0 when Math.Floor(d) == d => (ulong)d,
                _ => throw new LuaScriptException("answer consumed_gen must be a non-negative integer"),
            };
            return new LlmAnswer(data, consumed);
        }
        catch (LuaScriptException e)
        {
            // modules.md §2.2: an answer the module cannot encode (e.g. a fractional number) is fatal.
            throw new ModuleFatalException(e.Message, e);
        }
    }

    private string Redact(string text)
    {
        foreach (var backend in _backends)
        {
            text = backend.Client.Redact(text);
        }

        return text;
    }

    /// <summary><c>exec_prompt_in_provider(ctx, {provider, model, prompt, format})</c> (modules.md §3.4).</summary>
    private async ValueTask<object?> ExecPromptInProviderAsync(LuaHostCall call)
    {
        var request = call.TableArg(1);
        var providerName = request.GetString("provider") ?? "";
        var backend = _backends.FirstOrDefault(b => b.Name == providerName)
            ?? throw new LuaScriptException($"absent provider_id `{providerName}`");
        var model = request.GetString("model") ?? throw new LuaScriptException("exec_prompt_in_provider: missing model");
        var format = request.GetString("format") switch
        {
            "text" => LlmFormat.Text,
            "json" => LlmFormat.Json,
            "bool" => LlmFormat.Bool,
            var other => throw new LuaScriptException($"exec_prompt_in_provider: unknown format `{other}`"),
        };
        var prompt = ReadPrompt(request["prompt"] as LuaTableValue ?? throw new LuaScriptException("exec_prompt_in_provider: missing prompt"));
        var logger = call.Execution.Log ?? _logger;
        Log.Prompt(logger, backend.Name, prompt.UserMessage);
        var token = call.Execution.CancellationToken;

        // Cost tracking (ours): a backend whose worst-case price no longer fits the execution's budget is skipped with a
        // module error, so the default script moves on to the next (maybe cheaper) one. Never touches consumed_gen.
        var costs = call.Execution.Costs;
        var (estimatedPrompt, estimatedCompletion) = EstimateTokens(prompt);
        var estimate = backend.Price(estimatedPrompt, estimatedCompletion);
        if (!costs.TryAdmit(estimate, _options.ExecutionBudget))
        {
            Log.OverBudget(logger, backend.Name, model);
            throw new LuaModuleError(["BUDGET_EXCEEDED"], true, new LuaTableValue()
                .Add("backend", backend.Name)
                .Add("budget", Invariant(_options.ExecutionBudget ?? 0))
                .Add("estimate", Invariant(estimate))
                .Add("spent", Invariant(costs.Spent)));
        }

        var usage = new LlmUsage();
        LlmUsage.Current = usage;
        var answered = false;
        try
        {
            object data = format switch
            {
                LlmFormat.Text => await backend.Client.TextAsync(prompt, model, token).ConfigureAwait(false),
                LlmFormat.Json => LuaJson.FromElement(await backend.Client.JsonAsync(prompt, model, token).ConfigureAwait(false)) ?? new LuaTableValue(),
                _ => await backend.Client.BoolAsync(prompt, model, token).ConfigureAwait(false) ?? LogMissingResult(logger, backend.Name, model),
            };
            answered = true;
            return new LuaTableValue().Add("data", data).Add("consumed_gen", 0L);
        }
        catch (LlmProviderException e)
        {
            Interlocked.Increment(ref _failedAttempts);
            var text = backend.Client.Redact(e.Message);
            if (e.IsOverloaded)
            {
                Log.Overloaded(logger, backend.Name, model, text);
            }
            else
            {
                Log.Failed(logger, backend.Name, model, text);
            }

            var ctx = (LuaTableValue)LuaValues.FromCalldata(e.Context);
            throw new LuaModuleError([e.Cause], true, ctx);
        }
        catch (Exception e) when (e is LlmAnswerFormatException or JsonException)
        {
            // Not a module error: the default script re-raises it, so no other backend is asked (§3.7).
            Interlocked.Increment(ref _failedAttempts);
            var text = backend.Client.Redact(e.Message);
            Log.Malformed(logger, backend.Name, model, text);
            throw new LuaScriptException(text);
        }
        finally
        {
            LlmUsage.Current = null;

            // What the provider reported; an answer without usage is charged at the estimate.
            if (usage.Reported)
            {
                Charge(costs, backend.Price(usage.PromptTokens, usage.CompletionTokens), usage.PromptTokens, usage.CompletionTokens);
            }
            else if (answered)
            {
                Charge(costs, estimate, estimatedPrompt, estimatedCompletion);
            }
        }
    }

    private void Charge(LlmCostLedger costs, decimal price, long promptTokens, long completionTokens)
    {
        costs.Charge(price, promptTokens, completionTokens);
        _allCosts.Charge(price, promptTokens, completionTokens);
    }

    /// <summary>
    /// Worst-case tokens of a call: about four UTF-8 bytes per prompt token, 1000 per image (our rough figure), and the
    /// whole <c>max_tokens</c> for the completion.
    /// </summary>
    internal static (long Prompt, long Completion) EstimateTokens(LlmPrompt prompt)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(prompt.UserMessage) + (prompt.SystemMessage is { } s ? System.Text.Encoding.UTF8.GetByteCount(s) : 0);
        return (((bytes + 3) / 4) + (1000L * prompt.Images.Count), prompt.MaxTokens);
    }

    private static string Invariant(decimal value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool LogMissingResult(ILogger logger, string backend, string model)
    {
        // modules.md §3.4: a bool answer without a boolean "result" is logged and read as false.
        Log.MissingResult(logger, backend, model);
        return false;
    }

    private static LlmPrompt ReadPrompt(LuaTableValue p)
    {
        var images = p["images"] is LuaTableValue list && list.IsSequence
            ? list.SequenceValues().Select(i => (ReadOnlyMemory<byte>)(i as byte[] ?? throw new LuaScriptException("prompt.images must hold strings"))).ToList()
            : [];
        var temperature = p["temperature"] switch
        {
            double d => (float)d,
            long l => l,
            _ => 0.7f,
        };
        var maxTokens = p["max_tokens"] is long m && m is >= 0 and <= uint.MaxValue ? (uint)m : 1000u;
        return new LlmPrompt(
            p.GetString("system_message"),
            p.GetString("user_message") ?? throw new LuaScriptException("prompt.user_message must be a string"),
            temperature,
            images,
            maxTokens,
            p["use_max_completion_tokens"] is true);
    }
}
