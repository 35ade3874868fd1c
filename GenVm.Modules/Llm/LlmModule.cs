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
/// The LLM module (modules.md §3): provider clients per backend, and a pool of Lua states running the module script
/// (§5.4; our embedded default unless <c>lua_script_path</c> is set). The script chooses backends and calls
/// <c>exec_prompt_in_provider</c> (<see cref="LlmModule"/>.Scripting.cs), which runs the native provider client.
/// </summary>
internal sealed partial class LlmModule : ILlmModule, IAsyncDisposable
{
    /// <summary>Name of the <see cref="HttpClient"/> the module asks the factory for.</summary>
    public const string HttpClientName = "GenVm.Modules.Llm";

    /// <summary>Name of the <see cref="ScriptHttpOptions"/> instance bound from the LLM module configuration.</summary>
    public const string OptionsName = "llm";

    private readonly ILogger _logger;
    private readonly LlmModuleOptions _options;
    private readonly IReadOnlyList<LlmBackend> _backends;
    private readonly SocketsHttpHandler _scriptHandler;
    private readonly LuaStatePool _pool;
    private readonly LlmCostLedger _allCosts = new();
    private long _prompts;
    private long _failedAttempts;

    public LlmModule(
        IOptions<LlmModuleOptions> options,
        IOptionsMonitor<ScriptHttpOptions> scriptHttpOptions,
        IHttpClientFactory httpClientFactory,
        ILogger<LlmModule> logger,
        TimeProvider timeProvider)
    {
        var o = options.Value;
        _options = o;
        _logger = logger;
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
                return new LlmBackend(u.Name, client, u.Models, b.InputTokenPrice, b.OutputTokenPrice);
            })
            .ToList();
        if (o.CostAwareSelection)
        {
            // OrderBy is stable: equal prices keep configuration order.
            _backends = _backends.OrderBy(b => b.InputTokenPrice + b.OutputTokenPrice).ToList();
        }

        foreach (var (name, reason) in dropped)
        {
            Log.BackendDropped(_logger, name, reason);
        }

        if (_backends.Count == 0)
        {
            Log.NoBackend(_logger);
        }

        var httpOptions = scriptHttpOptions.Get(OptionsName);
        _scriptHandler = ScriptHttp.CreateHandler(httpOptions);
        var scriptHttp = new ScriptHttp(new HttpMessageInvoker(_scriptHandler, disposeHandler: false), httpOptions, null, timeProvider);
        var bindings = new DefaultHostFunctions(logger, timeProvider, scriptHttp).AddTo(new LuaBindings());
        AddBindings(bindings);
        _pool = new LuaStatePool(new LuaScriptSource(o.LuaScriptPath, o.LuaPath, "genvm-llm-default.lua"), bindings, o.VmCount);
    }

    /// <summary>Backend names in the order the default script tries them (configuration order, or cheapest first).</summary>
    internal IEnumerable<string> BackendNames => _backends.Select(b => b.Name);

    /// <summary>The Lua state pool (tests).</summary>
    internal LuaStatePool Pool => _pool;

    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptAsync(LlmPromptPayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
        => PromptAsync(payload, remainingFuelAsGen, LuaExecution.Anonymous(cancellationToken));

    /// <summary><see cref="PromptAsync(LlmPromptPayload, ulong, CancellationToken)"/> for an execution with a Hello.</summary>
    internal Task<ModuleAnswer<LlmAnswer>> PromptAsync(LlmPromptPayload payload, ulong remainingFuelAsGen, LuaExecution execution)
    {
        ArgumentNullException.ThrowIfNull(payload);

        // Module-side pre-check (modules.md §2.5): a non-fatal user error, before the script runs.
        foreach (var image in payload.Images)
        {
            if (LlmImageKind.Sniff(image.Span) is null)
            {
                return Task.FromResult(ModuleAnswer<LlmAnswer>.Error(
                    CalldataValue.FromMap(("causes", CalldataValue.FromArray(CalldataValue.FromString("INVALID_IMAGE"))), ("ctx", CalldataValue.FromMap(Enumerable.Empty<KeyValuePair<string, CalldataValue>>())))));
            }
        }

        var args = new LuaTableValue()
            .Add("response_format", payload.ResponseFormat == LlmResponseFormat.Json ? "json" : "text")
            .Add("prompt", payload.Prompt)
            .Add("images", LuaTableValue.FromList(payload.Images.Select(i => (object?)i.ToArray())));
        return RunAsync("ExecPrompt", args, remainingFuelAsGen, execution);
    }

    /// <inheritdoc/>
    public Task<ModuleAnswer<LlmAnswer>> PromptTemplateAsync(LlmTemplatePayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
        => PromptTemplateAsync(payload, remainingFuelAsGen, LuaExecution.Anonymous(cancellationToken));

    /// <summary><see cref="PromptTemplateAsync(LlmTemplatePayload, ulong, CancellationToken)"/> for an execution with a Hello.</summary>
    internal Task<ModuleAnswer<LlmAnswer>> PromptTemplateAsync(LlmTemplatePayload payload, ulong remainingFuelAsGen, LuaExecution execution)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var args = new LuaTableValue().Add("template", payload.TemplateName);
        foreach (var (name, value) in payload.Variables)
        {
            args.Add(name, value);
        }

        return RunAsync("ExecPromptTemplate", args, remainingFuelAsGen, execution);
    }

    /// <inheritdoc/>
    public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken)
        => Task.FromResult<CalldataValue>(CalldataValue.FromMap(
            ("costs", _allCosts.ToCalldata()),
            ("failed_attempts", Interlocked.Read(ref _failedAttempts)),
            ("prompts", Interlocked.Read(ref _prompts))));

    /// <summary>Creates a Lua state now, so a broken script fails at start-up.</summary>
    internal Task WarmUpAsync(CancellationToken cancellationToken) => _pool.WarmUpAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync().ConfigureAwait(false);
        _scriptHandler.Dispose();
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
}
