using GenVm.Core.Calldata;
using GenVm.Core.Modules;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>An in-test web module: answers from a function and records the requests.</summary>
internal sealed class FakeWebModule : IWebModule
{
    private int _statsRequests;

    public List<object> Requests { get; } = [];

    public Func<WebRenderRequest, ModuleAnswer<WebRenderAnswer>> Render { get; init; } = r => ModuleAnswer<WebRenderAnswer>.Ok(WebRenderAnswer.FromText("page " + r.Url));

    public Func<WebHttpRequest, ModuleAnswer<WebHttpResponse>> Request { get; init; } =
        r => ModuleAnswer<WebHttpResponse>.Ok(new WebHttpResponse(200, new Dictionary<string, ReadOnlyMemory<byte>>(), "body"u8.ToArray()));

    public Task<ModuleAnswer<WebRenderAnswer>> RenderAsync(WebRenderRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Task.FromResult(Render(request));
    }

    public Task<ModuleAnswer<WebHttpResponse>> RequestAsync(WebHttpRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Task.FromResult(Request(request));
    }

    /// <summary>How many <c>GetStats</c> requests came (modules.md §2.3 step 5).</summary>
    public int StatsRequests => Volatile.Read(ref _statsRequests);

    /// <summary>Answers <c>GetStats</c> (runs when the request comes).</summary>
    public Func<CalldataValue> Stats { get; init; } = () => CalldataValue.Null;

    public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _statsRequests);
        return Task.FromResult(Stats());
    }
}

/// <summary>An in-test LLM module: answers from a function and records the requests and fuel.</summary>
internal sealed class FakeLlmModule : ILlmModule
{
    private int _statsRequests;

    public List<(object Payload, ulong Fuel)> Requests { get; } = [];

    public Func<object, ModuleAnswer<LlmAnswer>> Answer { get; init; } = _ => ModuleAnswer<LlmAnswer>.Ok(new LlmAnswer(CalldataValue.FromString("OK"), 7));

    public Task<ModuleAnswer<LlmAnswer>> PromptAsync(LlmPromptPayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
    {
        Requests.Add((payload, remainingFuelAsGen));
        return Task.FromResult(Answer(payload));
    }

    public Task<ModuleAnswer<LlmAnswer>> PromptTemplateAsync(LlmTemplatePayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
    {
        Requests.Add((payload, remainingFuelAsGen));
        return Task.FromResult(Answer(payload));
    }

    /// <summary>How many <c>GetStats</c> requests came (modules.md §2.3 step 5).</summary>
    public int StatsRequests => Volatile.Read(ref _statsRequests);

    /// <summary>Answers <c>GetStats</c> (runs when the request comes).</summary>
    public Func<CalldataValue> Stats { get; init; } = () => CalldataValue.Null;

    public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _statsRequests);
        return Task.FromResult(Stats());
    }
}
