using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Modules.Llm;
using GenVm.Modules.Sessions;
using GenVm.Modules.Transport;
using GenVm.Modules.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GenVm.Bench.Modules;

/// <summary>
/// <c>GenVm.Bench modules [count]</c>: the LLM module's added time per request against a local fake OpenAI-compatible
/// provider (the same request sent straight with <see cref="HttpClient"/> is the baseline), in process and over
/// WebSocket (<c>ModuleServer</c> on 127.0.0.1 in this process, the executor's client adapter); then the time to
/// render a local page (text mode, its content partly made by JavaScript) with Chromium, skipped when no Chromium
/// is installed.
/// </summary>
internal static class ModulesBench
{
    private const int Warmup = 30;

    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        return RunAsync(count).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int count)
    {
        await using var site = await LocalSite.StartAsync();
        var hello = new ModuleHello("bench", CalldataValue.FromMap(("node_address", "0xbench"), ("tx_id", "0x01")));
        var payload = new LlmPromptPayload("what is 2+2?", [], LlmResponseFormat.Text);
        Console.WriteLine($"modules bench: {count} sequential requests per path after {Warmup} warm-up, provider at {site.BaseUrl}");

        // Baseline: the body the module would send, posted straight to the provider.
        using var http = new HttpClient();
        var body = OpenAiCompatibleClient.BuildBody(new LlmPrompt(null, "what is 2+2?", 0.7f, [], 1000, false), "m1", json: false).ToJsonString();
        var direct = await MeasureAsync(count, async () =>
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(site.BaseUrl + "/v1/chat/completions"), content);
            _ = await response.Content.ReadAsByteArrayAsync();
            response.EnsureSuccessStatusCode();
        });
        Report("direct HTTP (baseline)", direct, null);

        await using var services = LlmServices(site.BaseUrl);
        var module = services.GetRequiredService<ILlmModule>();
        await using (var session = ModuleSession.Open(module, null, hello))
        {
            var llm = session.Llm!;
            var inProcess = await MeasureAsync(count, () => Check(llm.PromptAsync(payload, 0, CancellationToken.None)));
            Report("LLM module in process", inProcess, direct);
        }

        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        await using (var server = await ModuleServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), ModuleEndpoints.For(module), loggerFactory, CancellationToken.None))
        {
            await using var client = new WebSocketLlmModule(new RemoteModuleOptions { Address = server.Address.ToString() }, hello);
            var overWebSocket = await MeasureAsync(count, () => Check(client.PromptAsync(payload, 0, CancellationToken.None)));
            Report("LLM module over WebSocket", overWebSocket, direct);
        }

        await RenderAsync(site);
        return 0;
    }

    private static ServiceProvider LlmServices(string providerUrl)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["vm_count"] = "2",
            ["backends:fake:provider"] = "openai-compatible",
            ["backends:fake:host"] = providerUrl,
            ["backends:fake:key"] = "bench-key",
            ["backends:fake:models:m1:supports_json"] = "true",
        }).Build();
        return new ServiceCollection().AddLogging().AddInProcessLlmModule(configuration).BuildServiceProvider();
    }

    private static async Task Check(Task<ModuleAnswer<LlmAnswer>> call)
    {
        var answer = await call;
        if (!answer.IsOk || answer.Value!.Data is not CalldataString { Value: "four" })
        {
            throw new InvalidOperationException("unexpected LLM answer");
        }
    }

    private static async Task RenderAsync(LocalSite site)
    {
        if (ChromiumBrowser.FindExecutable("") is null)
        {
            Console.WriteLine("render: skipped: no chromium executable found (scripts/install-deps installs the Debian package)");
            return;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["always_allow_hosts:0"] = "127.0.0.1",
            ["vm_count"] = "1",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddInProcessWebModule(configuration).BuildServiceProvider();
        var web = services.GetRequiredService<IWebModule>();
        var request = new WebRenderRequest(RenderMode.Text, site.BaseUrl + "/page", TimeSpan.Zero);
        const int renders = 20;

        // The first render starts the browser; it is reported on its own.
        var clock = Stopwatch.StartNew();
        var first = await web.RenderAsync(request, CancellationToken.None);
        var cold = clock.Elapsed.TotalMilliseconds;
        if (!first.IsOk || first.Value!.Text?.Contains("made by javascript", StringComparison.Ordinal) != true)
        {
            Console.WriteLine($"render: FAILED: {(first.IsOk ? first.Value!.Text : first.UserError?.ToString())}");
            return;
        }

        var times = new double[renders];
        for (var i = 0; i < renders; i++)
        {
            clock.Restart();
            var answer = await web.RenderAsync(request, CancellationToken.None);
            times[i] = clock.Elapsed.TotalMilliseconds;
            if (!answer.IsOk)
            {
                Console.WriteLine($"render: FAILED: {answer.UserError}");
                return;
            }
        }

        Array.Sort(times);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"render (Chromium, text mode, local page with JS content): first {cold:F0} ms (browser start), then {renders} renders: mean {times.Average():F1} ms, p50 {Percentile(times, 0.5):F1} ms, max {times[^1]:F1} ms"));
    }

    private static async Task<double[]> MeasureAsync(int count, Func<Task> call)
    {
        for (var i = 0; i < Warmup; i++)
        {
            await call();
        }

        var times = new double[count];
        var clock = new Stopwatch();
        for (var i = 0; i < count; i++)
        {
            clock.Restart();
            await call();
            times[i] = clock.Elapsed.TotalMicroseconds;
        }

        Array.Sort(times);
        return times;
    }

    private static void Report(string name, double[] times, double[]? baseline)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-28} mean {times.Average() / 1000:F3} ms  p50 {Percentile(times, 0.5) / 1000:F3} ms  p99 {Percentile(times, 0.99) / 1000:F3} ms");
        if (baseline is not null)
        {
            line += string.Create(
                CultureInfo.InvariantCulture,
                $"  added per request: mean {(times.Average() - baseline.Average()) / 1000:F3} ms, p50 {(Percentile(times, 0.5) - Percentile(baseline, 0.5)) / 1000:F3} ms");
        }

        Console.WriteLine(line);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
