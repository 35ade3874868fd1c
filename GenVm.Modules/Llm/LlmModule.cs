using System.Text.Json;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Modules.Scripting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace GenVm.Modules.Llm;

/// <summary>
/// The in-process LLM module: the native equivalent of the default script (modules.md §3.6, §3.7, §5.4). Each
/// candidate backend gets exactly one attempt with its first matching model; a module error moves on to the next
/// backend, any other failure is fatal, and exhaustion is the fatal <c>NO_PROVIDER_FOR_PROMPT</c>.
/// </summary>
internal sealed partial class LlmModule : ILlmModule
{
    /// <summary>Name of the <see cref="HttpClient"/> the module asks the factory for.</summary>
    public const string HttpClientName = "GenVm.Modules.Llm";

    private const float DefaultTemperature = 0.7f;
    private const uint DefaultMaxTokens = 1000;
    private const string JsonSystemMessage = "respond with a valid json object";

    private readonly ILogger _logger;
    private readonly LlmPromptTemplatesOptions _templates;
    private readonly IReadOnlyList<LlmBackend> _backends;
    private long _prompts;
    private long _failedAttempts;

    public LlmModule(IOptions<LlmModuleOptions> options, IHttpClientFactory httpClientFactory, ILogger<LlmModule> logger, TimeProvider timeProvider)
    {
        var o = options.Value;
        _logger = logger;
        _templates = o.PromptTemplates;
        var pipeline = BuildPipeline(o, timeProvider);
        var http = httpClientFactory.CreateClient(HttpClientName);
        var dropped = new List<(string Name, string Reason)>();
        _backends = LlmBackend.Usable(o, dropped)
            .Select(u =>
            {
                var b = o.Backends[u.Name];
                LlmProviderClient client = b.Provider switch
                {
                    LlmProviderNames.OpenAiCompatible => new OpenAiCompatibleClient(http, pipeline, b.Host, b.Key),
                    LlmProviderNames.Ollama => new OllamaClient(http, pipeline, b.Host, b.Key),
                    LlmProviderNames.Anthropic => new AnthropicClient(http, pipeline, b.Host, b.Key),
                    LlmProviderNames.Google => new GoogleClient(http, pipeline, b.Host, b.Key),
                    _ => throw new OptionsValidationException(nameof(LlmModuleOptions), typeof(LlmModuleOptions), [$"backends.{u.Name}: unknown provider"]),
                };
                return new LlmBackend(u.Name, client, u.Models);
            })
            .ToList();
        foreach (var (name, reason) in dropped)
        {
            Log.BackendDropped(_logger, name, reason);
        }

        if (_backends.Count == 0)
        {
            Log.NoBackend(_logger);
        }
    }

    /// <summary>Backend names in the order they are tried (configuration order).</summary>
    internal IEnumerable<string> BackendNames => _backends.Select(b => b.Name);

    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptAsync(LlmPromptPayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);

        // Module-side pre-check (modules.md §2.5): a non-fatal user error, before any provider is asked.
        foreach (var image in payload.Images)
        {
            if (LlmImageKind.Sniff(image.Span) is null)
            {
                return Task.FromResult(ModuleAnswer<LlmAnswer>.Error(
                    CalldataValue.FromMap(("causes", CalldataValue.FromArray(CalldataValue.FromString("INVALID_IMAGE"))), ("ctx", CalldataValue.FromMap(Enumerable.Empty<KeyValuePair<string, CalldataValue>>())))));
            }
        }

        // modules.md §3.6, §5.4: the prompt text is normalised with the greybox filters, in this order.
        var json = payload.ResponseFormat == LlmResponseFormat.Json;
        var text = TextFilters.Apply(payload.Prompt, ["NFKC", "RmZeroWidth", "NormalizeWS"]);
        var prompt = new LlmPrompt(json ? JsonSystemMessage : null, text, DefaultTemperature, payload.Images, DefaultMaxTokens, false);
        return ExecuteAsync(prompt, json ? LlmFormat.Json : LlmFormat.Text, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptTemplateAsync(LlmTemplatePayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var template = payload switch
        {
            EqComparativeTemplate => _templates.EqComparative,
            EqNonComparativeLeaderTemplate => _templates.EqNonComparativeLeader,
            EqNonComparativeValidatorTemplate => _templates.EqNonComparativeValidator,
            _ => throw new ModuleFatalException($"unknown template {payload.TemplateName}"),
        };
        var prompt = new LlmPrompt(
            Substitute(template.System, payload.Variables), Substitute(template.User, payload.Variables), DefaultTemperature, [], DefaultMaxTokens, false);
        return ExecuteAsync(prompt, payload.ExpectsBoolAnswer ? LlmFormat.Bool : LlmFormat.Text, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken)
        => Task.FromResult<CalldataValue>(CalldataValue.FromMap(
            ("failed_attempts", Interlocked.Read(ref _failedAttempts)),
            ("prompts", Interlocked.Read(ref _prompts))));

    /// <summary>Replaces every <c>#{name}</c> with its variable (modules.md §3.3).</summary>
    internal static string Substitute(string text, IEnumerable<KeyValuePair<string, string>> variables)
    {
        foreach (var (name, value) in variables)
        {
            text = text.Replace("#{" + name + "}", value, StringComparison.Ordinal);
        }

        return text;
    }

    private static ResiliencePipeline BuildPipeline(LlmModuleOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.ConnectRetries > 0)
        {
            // Only a connection that never opened is retried: the prompt cannot have reached the provider.
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.ConnectRetries,
                Delay = options.ConnectRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(e => e.HttpRequestError == HttpRequestError.ConnectionError),
            });
        }

        // Added after the retry, so it bounds each attempt separately.
        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    private bool LogMissingResult(string backend, string model)
    {
        // modules.md §3.4: a bool answer without a boolean "result" is logged and read as false.
        Log.MissingResult(_logger, backend, model);
        return false;
    }

    private async Task<ModuleAnswer<LlmAnswer>> ExecuteAsync(LlmPrompt prompt, LlmFormat format, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _prompts);
        var hasImages = prompt.Images.Count > 0;
        var candidates = _backends
            .Select(b => (Backend: b, Model: b.FirstMatchingModel(format, hasImages)))
            .Where(c => c.Model is not null)
            .ToList();
        Log.Candidates(_logger, format, string.Join(",", candidates.Select(c => c.Backend.Name)));

        var failures = new List<string>();
        foreach (var (backend, model) in candidates)
        {
            var (modelName, modelOptions) = model!.Value;
            var attempt = prompt with { UseMaxCompletionTokens = modelOptions.UseMaxCompletionTokens };
            Log.Prompt(_logger, backend.Name, attempt.UserMessage);
            try
            {
                CalldataValue data = format switch
                {
                    LlmFormat.Text => CalldataValue.FromString(await backend.Client.TextAsync(attempt, modelName, cancellationToken).ConfigureAwait(false)),
                    LlmFormat.Json => LlmJson.ToCalldata(await backend.Client.JsonAsync(attempt, modelName, cancellationToken).ConfigureAwait(false)),
                    _ => CalldataValue.FromBool(await backend.Client.BoolAsync(attempt, modelName, cancellationToken).ConfigureAwait(false)
                        ?? LogMissingResult(backend.Name, modelName)),
                };

                // The default script always reports consumed_gen = 0 (§3.7).
                return ModuleAnswer<LlmAnswer>.Ok(new LlmAnswer(data, 0));
            }
            catch (LlmProviderException e)
            {
                Interlocked.Increment(ref _failedAttempts);
                var text = backend.Client.Redact(e.Message);
                if (e.IsOverloaded)
                {
                    Log.Overloaded(_logger, backend.Name, modelName, text);
                }
                else
                {
                    Log.Failed(_logger, backend.Name, modelName, text);
                }

                failures.Add($"{backend.Name}: {text}");
            }
            catch (Exception e) when (e is LlmAnswerFormatException or JsonException)
            {
                // Not a module error: the reference re-raises, so no other backend is asked (§3.7).
                Interlocked.Increment(ref _failedAttempts);
                var text = backend.Client.Redact(e.Message);
                Log.Malformed(_logger, backend.Name, modelName, text);
                throw new ModuleFatalException(text);
            }
        }

        throw new ModuleFatalException(
            $"NO_PROVIDER_FOR_PROMPT: search_in [{string.Join(", ", candidates.Select(c => c.Backend.Name))}]; {string.Join("; ", failures)}");
    }
}
