using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using GenVm.Core.LocalNode;
using GenVm.Core.Protocol;
using GenVm.Host.Manager;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Bench.Manager;

/// <summary>
/// <c>GenVm.Bench manager [count] [permits]</c>: a trivial contract through <c>POST /genvm/run</c> of an in-process
/// manager (Kestrel on 127.0.0.1), each against its own embedded node on a Unix socket; prints executions per second
/// and the p50/p99 latency from the POST to the finished status.
/// </summary>
internal static class ManagerBench
{
    // (module (memory (export "memory") 1) (func (export "_start")))
    private static readonly byte[] TrivialWasm = Convert.FromHexString(
        "0061736d01000000" + "010401600000" + "03020100" + "0503010001" + "071302066d656d6f72790200065f737461727400000a040102000b");

    private const string MessageJson =
        "{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"value\":null,\"is_init\":false}";

    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var permits = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        return RunAsync(count, permits).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int count, int permits)
    {
        var root = Directory.CreateTempSubdirectory("genvm-bench-manager-");
        try
        {
            var manifest = Path.Combine(root.FullName, "manifest.yaml");
            await File.WriteAllTextAsync(manifest, "executor_versions:\n  v0.2.7: { available_after: \"2024-09-01T00:00:00Z\" }\n");
            var options = new ManagerOptions { Port = 0, ManifestPath = manifest, Root = root.FullName, Permits = permits, LogLevel = "error" };
            await using var app = ManagerApplication.Build(options);
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = ManagerApplication.BaseAddress(app) };
            var executions = app.Services.GetRequiredService<ExecutionService>();

            // Warm-up: compile caches, JIT, connection pool.
            await Task.WhenAll(Enumerable.Range(0, permits).Select(i => OneAsync(client, executions, root.FullName, $"w{i}")));

            var latencies = new double[count];
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i => latencies[i] = await OneAsync(client, executions, root.FullName, i.ToString(CultureInfo.InvariantCulture))));
            var seconds = clock.Elapsed.TotalSeconds;
            Array.Sort(latencies);

            // One at a time: the latency of a run without queueing.
            var sequential = new double[Math.Max(1, count / 4)];
            for (var i = 0; i < sequential.Length; i++)
            {
                sequential[i] = await OneAsync(client, executions, root.FullName, "s" + i.ToString(CultureInfo.InvariantCulture));
            }

            Array.Sort(sequential);
            await app.StopAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"manager: {count} trivial executions, {permits} permits: {count / seconds:F1} executions/s, latency p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms (latency includes the wait for permits)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"manager: {sequential.Length} executions one at a time: latency p50 {Percentile(sequential, 0.50):F1} ms, p99 {Percentile(sequential, 0.99):F1} ms"));
            return 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task<double> OneAsync(HttpClient client, ExecutionService executions, string directory, string name)
    {
        var state = new LocalNodeState();
        var contract = new GenVm.Core.Calldata.Address(Convert.FromBase64String("AQAAAAAAAAAAAAAAAAAAAAAAAAA="));
        state.Write(contract, SlotId.Code, 0, BitConverter.GetBytes((uint)TrivialWasm.Length));
        state.Write(contract, SlotId.Code, 4, TrivialWasm);
        var node = new LocalNode(state, contract, [0x06], validator: false); // calldata: the empty map
        var path = Path.Combine(directory, name + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var body = $$"""{"major":0,"message":{{MessageJson}},"is_sync":true,"capture_output":false,"host_data":"{\"node_address\":\"0x01\",\"tx_id\":\"0x02\"}","timestamp":"2025-01-01T00:00:00Z","host":"unix://{{path}}"}""";
        var started = Stopwatch.GetTimestamp();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/genvm/run", UriKind.Relative), content);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<ulong>();
        using (var peer = await listener.AcceptAsync())
        await using (var stream = new NetworkStream(peer, ownsSocket: false))
        {
            await node.ServeAsync(stream, CancellationToken.None);
        }

        await executions.Executions[id].Completion;
        using var status = await client.GetAsync(new Uri($"/genvm/{id}", UriKind.Relative));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (node.Result is not [0, 0])
        {
            throw new InvalidOperationException("the trivial contract did not return null");
        }

        return elapsed;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
