using System.Diagnostics;
using System.Globalization;
using GenVm.Bench.Engine;
using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.LocalNode;
using GenVm.Core.Messages;
using GenVm.Core.Pool;
using GenVm.Core.Protocol;

namespace GenVm.Bench.Executor;

/// <summary>
/// <c>GenVm.Bench executor [reads] [runs]</c> (issue 5, "Done when"): round trips per second of <c>storage_read</c>
/// over a Unix socket against an embedded node; the time of <c>genvm run</c> of a trivial WAT contract from process
/// start to result (child processes, median); and the same execution warm in the in-process
/// <see cref="ExecutionPool"/> (median after warm-up).
/// </summary>
internal static class ExecutorBench
{
    // (module (memory (export "memory") 1) (func (export "_start")))
    private static readonly byte[] TrivialWasm = Convert.FromHexString(
        "0061736d01000000" + "010401600000" + "03020100" + "0503010001" + "071302066d656d6f72790200065f737461727400000a040102000b");

    private const string Message =
        "{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"value\":null,\"is_init\":false}";

    private static readonly Address Contract = new(Convert.FromHexString("0100000000000000000000000000000000000000"));

    public static int Run(string[] args)
    {
        var reads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        return RunAsync(reads, runs).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int reads, int runs)
    {
        Console.WriteLine($"executor: {Environment.ProcessorCount} cores, load average {LoadAverage()}");

        var perSecond = await StorageReadsPerSecondAsync(reads);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"storage_read round trips over a unix socket: {perSecond:F0}/s ({reads} sequential 32-byte reads, {1e6 / perSecond:F1} us each)"));

        var genvm = RepoLocator.FindGenVm();
        var processTimes = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            processTimes.Add(await ProcessRunMsAsync(genvm));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"genvm run (child process), trivial WAT contract, start to result: median {Median(processTimes):F0} ms, min {processTimes.Min():F0} ms ({runs} runs)"));

        using var pool = new ExecutionPool(new ExecutionPoolOptions());
        for (var i = 0; i < 20; i++)
        {
            await PoolRunMsAsync(pool);
        }

        var poolTimes = new List<double>();
        for (var i = 0; i < Math.Max(50, runs * 10); i++)
        {
            poolTimes.Add(await PoolRunMsAsync(pool));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"same execution warm in the in-process pool (connect, run, consume_result): median {Median(poolTimes):F2} ms, p90 {Percentile(poolTimes, 0.9):F2} ms ({poolTimes.Count} runs; module cache hits {pool.Modules.Hits}, misses {pool.Modules.Misses}; wasm threads started {pool.Workers.Started})"));
        return 0;
    }

    private static LocalNodeState DeployedState()
    {
        // host-protocol.md §12: the code slot holds a u32 length at 0 and the code from 4.
        var state = new LocalNodeState();
        state.Write(Contract, SlotId.Code, 0, BitConverter.GetBytes((uint)TrivialWasm.Length));
        state.Write(Contract, SlotId.Code, 4, TrivialWasm);
        return state;
    }

    private static async Task<double> StorageReadsPerSecondAsync(int reads)
    {
        using var listener = new NodeListener();
        var node = new LocalNode(DeployedState(), Contract, [0x00], validator: false);
        using var stop = new CancellationTokenSource();
        var serve = listener.ServeOneAsync(node, stop.Token);
        await using (var host = await HostConnection.ConnectAsync(listener.Uri, null, CancellationToken.None))
        {
            var slot = Convert.FromHexString(SlotId.Code);
            var buffer = new byte[32];
            for (var i = 0; i < 1000; i++)
            {
                await host.StorageReadAsync(StorageType.Default, Contract, slot, 0, buffer, CancellationToken.None);
            }

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < reads; i++)
            {
                await host.StorageReadAsync(StorageType.Default, Contract, slot, 0, buffer, CancellationToken.None);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            await host.ConsumeResultAsync(ContractResult.Return(new byte[] { 0 }).ToConsumeResultPayload(), CancellationToken.None);
            await serve;
            return reads / seconds;
        }
    }

    private static async Task<double> ProcessRunMsAsync(string genvm)
    {
        using var listener = new NodeListener();
        var node = new LocalNode(DeployedState(), Contract, [0x00], validator: false);
        var psi = new ProcessStartInfo(genvm) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "run", "--host", listener.Uri, "--message", Message, "--print=result" })
        {
            psi.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start genvm");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await listener.ServeOneAsync(node, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var ms = clock.Elapsed.TotalMilliseconds;
        var output = await stdout;
        if (process.ExitCode != 0 || !output.Contains("executed with `Return", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"genvm run failed (exit {process.ExitCode}): {output}{await stderr}");
        }

        return ms;
    }

    private static async Task<double> PoolRunMsAsync(ExecutionPool pool)
    {
        using var listener = new NodeListener();
        var node = new LocalNode(DeployedState(), Contract, [0x00], validator: false);
        var message = MessageJson.Parse(Message);
        var clock = Stopwatch.StartNew();
        var serve = listener.ServeOneAsync(node, CancellationToken.None);
        var result = await pool.RunAsync(new ExecutionRequest { HostAddress = listener.Uri, Message = message }, CancellationToken.None);
        await serve;
        var ms = clock.Elapsed.TotalMilliseconds;
        if (result.Outcome?.Result.Kind != ResultCode.Return)
        {
            throw new InvalidOperationException("pool execution failed: " + (result.Failure ?? result.Outcome?.Result.Message));
        }

        return ms;
    }

    internal static double Median(IReadOnlyCollection<double> values) => Percentile(values, 0.5);

    internal static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
