using System.Globalization;
using GenVm.Host.Manager;
using GenVm.Tests.Core.Host;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Host.Manager;

/// <summary>Many executions through the HTTP API at once: all complete, the permits bound the concurrency, nothing leaks.</summary>
[TestFixture]
[Category("Executor")]
public sealed class ManagerLoadTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(5);

    [Test]
    public async Task Run_200InProcessExecutionsWith4Permits_AllCompleteBoundedNoLeak()
    {
        // Warm-up: the runtime opens some descriptors once (thread pool, sockets, compiled code).
        await using (var warm = await ManagerServer.StartAsync(o => o.Permits = 4))
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RunOneAsync(warm)));
        }

        var (fdsBefore, childrenBefore) = Census();
        long peak;
        long started;
        await using (var server = await ManagerServer.StartAsync(o => o.Permits = 4))
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => RunOneAsync(server))).WaitAsync(Guard);

            Assert.That(results, Has.All.EqualTo("executed with `Return(\"\\x00\")`\n"));
            var metrics = server.App.Services.GetRequiredService<ManagerMetrics>();
            peak = metrics.PeakRunning;
            started = metrics.Started;
            Assert.That(metrics.Finished, Is.EqualTo(200));
            Assert.That(server.Permits.Available, Is.EqualTo(4));
            Assert.That(server.Executions.Executions, Is.Empty);
        }

        TestContext.Out.WriteLine($"200 executions, peak concurrency {peak}");
        Assert.That(started, Is.EqualTo(200));
        Assert.That(peak, Is.InRange(1, 4));
        var (fdsAfter, childrenAfter) = Census();
        Assert.That(childrenAfter, Is.EqualTo(childrenBefore));
        Assert.That(fdsAfter, Is.LessThanOrEqualTo(fdsBefore + 8), "file descriptors leaked");
    }

    [Test]
    public async Task Run_60ExecutorProcessesWith4Permits_NoProcessOrDescriptorLeft()
    {
        var (fdsBefore, childrenBefore) = Census();
        await using (var server = await ManagerServer.StartAsync(o => { o.Permits = 4; o.BuiltInVersion = "v9.9.9"; }))
        {
            server.WriteExecutor("v0.2.7", "for a in \"$@\"; do case \"$a\" in --log-fd=*) fd=\"${a#--log-fd=}\";; esac; done\necho '{\"level\":\"info\",\"message\":\"x\"}' >&\"$fd\"\necho done\n");
            var ids = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
            {
                var (_, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("unix:///nowhere", isSync: i % 3 == 0));
                return body!["id"]!.GetValue<ulong>();
            })).WaitAsync(Guard);
            foreach (var id in ids)
            {
                await server.Executions.Executions[id].Completion.WaitAsync(Guard);
                var (_, body) = await server.GetAsync($"/genvm/{id}");
                Assert.That(body!["status"]!["stdout"]!.GetValue<string>(), Is.EqualTo("done\n"));
                Assert.That(body["status"]!["genvm_log"]!.AsArray(), Has.Count.EqualTo(1));
            }

            Assert.That(server.App.Services.GetRequiredService<ManagerMetrics>().PeakRunning, Is.InRange(1, 4));
        }

        var (fdsAfter, childrenAfter) = Census();
        Assert.That(childrenAfter, Is.EqualTo(childrenBefore));
        Assert.That(fdsAfter, Is.LessThanOrEqualTo(fdsBefore + 8), "file descriptors leaked");
    }

    private static async Task<string> RunOneAsync(ManagerServer server)
    {
        var node = ManagerContracts.Deploy(ManagerContracts.Trivial);
        await using var host = TestHost.StartUnix();
        var (status, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody(host.Uri, isSync: true));
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        var id = body!["id"]!.GetValue<ulong>();
        await host.AcceptAsync().WaitAsync(Guard);
        await node.ServeAsync(host, CancellationToken.None).WaitAsync(Guard);
        await server.Executions.Executions[id].Completion.WaitAsync(Guard);
        (_, body) = await server.GetAsync($"/genvm/{id}");
        Assert.That(node.Result, Is.EqualTo(new byte[] { 0, 0 }));
        return body!["status"]!["stdout"]!.GetValue<string>();
    }

    // Open descriptors of this process and its live child processes (from /proc).
    private static (int Fds, int Children) Census()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var fds = Directory.GetFiles("/proc/self/fd").Length;
        var me = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var children = 0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == me)
                {
                    children++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to read.
            }
        }

        return (fds, children);
    }
}
