using System.Diagnostics;
using System.Globalization;

namespace GenVm.Tests.Host.Manager;

/// <summary>Executions as executor processes: fake executors (bash scripts) in the temp install root.</summary>
[TestFixture]
public sealed class SubprocessExecutionTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    // Prints its arguments one per line, one JSON and one plain log line to the --log-fd pipe, a line to stderr.
    private const string EchoExecutor = """
        for a in "$@"; do case "$a" in --log-fd=*) fd="${a#--log-fd=}";; esac; done
        for a in "$@"; do printf '%s\n' "$a"; done
        echo '{"level":"WARN","target":"genvm::fake","message":"from the fake","ts":"1"}' >&"$fd"
        echo 'not json' >&"$fd"
        echo 'to stderr' >&2
        read -t 1 line && echo "stdin: $line" >&2
        exit 3
        """;

    [Test]
    public async Task Run_OtherVersion_SpawnsItsExecutorWithTheSpecArguments()
    {
        // The built-in executor claims another version, so v0.2.7 is <root>/executor/v0.2.7/bin/genvm.
        await using var server = await ManagerServer.StartAsync(o => o.BuiltInVersion = "v9.9.9");
        server.WriteExecutor("v0.2.7", EchoExecutor);
        var body = ManagerContracts.RunBody("unix:///tmp/host.sock", isSync: true, extraArgs: """["--debug-mode","--print=result"]""");

        var (status, started) = await server.PostJsonAsync("/genvm/run", body);
        Assert.That(status, Is.EqualTo(200));
        await server.Executions.Executions[1].Completion.WaitAsync(Guard);
        var (_, result) = await server.GetAsync("/genvm/1");

        var record = result!["status"]!;
        var lines = record["stdout"]!.GetValue<string>().Split('\n');
        Assert.That(lines[0], Does.Match("^--log-fd=[0-9]+$"));
        Assert.That(lines[1..], Is.EqualTo(new[]
        {
            "run", "--debug-mode", "--print=result", "--sync",
            "--host-data", ManagerContracts.HostData,
            "--host", "unix:///tmp/host.sock",
            "--message", Core.Supervisor.ContractRun.MessageJson,
            "--cookie=1", "",
        }));
        Assert.That(record["stderr"]!.GetValue<string>(), Is.EqualTo("to stderr\n"));
        Assert.That(record["genvm_log"]!.ToJsonString(), Is.EqualTo("""[{"level":"warn","target":"genvm::fake","message":"from the fake","ts":"1"},{"level":"info","message":"genvm log","line":"not json"}]"""));
        Assert.That(server.Executions.Executions, Is.Empty);
        Assert.That(started!.ToJsonString(), Is.EqualTo("""{"result":"started","id":1}"""));
    }

    [Test]
    public async Task Run_SubprocessModeForBuiltIn_UsesTheConfiguredCommand()
    {
        await using var server = await ManagerServer.StartAsync(o =>
        {
            o.ExecutionMode = GenVm.Host.Manager.ExecutionMode.Subprocess;
            o.BuiltInCommand = ["/bin/bash", Path.Combine(o.Root, "executor", "self", "bin", "genvm")];
        });
        server.WriteExecutor("self", EchoExecutor);

        await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("127.0.0.1:1", capture: true));
        await server.Executions.Executions[1].Completion.WaitAsync(Guard);
        var (_, result) = await server.GetAsync("/genvm/1");

        Assert.That(result!["status"]!["stdout"]!.GetValue<string>().Split('\n')[1], Is.EqualTo("run"));
    }

    [Test]
    public async Task Run_ExecutorMissing_500AndPermitsGivenBack()
    {
        await using var server = await ManagerServer.StartAsync(o => o.BuiltInVersion = "v9.9.9");

        var (status, body) = await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("unix:///tmp/host.sock"));

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith("running genvm command " + Path.Combine(server.Root.FullName, "executor", "v0.2.7", "bin", "genvm")));
        Assert.That(server.Permits.Available, Is.EqualTo(4));
    }

    [Test]
    public async Task Run_RerouteTo_UsesThatDirectoryAndNamesIt()
    {
        await using var server = await ManagerServer.StartAsync(o => o.RerouteTo = "dev");
        server.WriteExecutor("dev", "exec sleep 1000\n");

        await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("unix:///tmp/host.sock"));
        var (_, status) = await server.GetAsync("/status");

        Assert.That(status!["executions"]!["1"]!["version"]!.GetValue<string>(), Is.EqualTo("dev"));
        await server.DeleteAsync("/genvm/1?wait_timeout_ms=10000");
    }

    [Test]
    public async Task Delete_RunningProcess_TerminatedAndNoOrphanLeft()
    {
        await using var server = await ManagerServer.StartAsync(o => o.BuiltInVersion = "v9.9.9");
        server.WriteExecutor("v0.2.7", "exec sleep 1000\n");
        await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("unix:///tmp/host.sock"));
        var pid = ((GenVm.Host.Manager.SubprocessExecution)server.Executions.Executions[1].Process!).ProcessId;
        Assert.That(IsAlive(pid), Is.True);

        var (status, body) = await server.DeleteAsync("/genvm/1?wait_timeout_ms=20000");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"result":"shutdown_completed","genvm_id":1}"""));
        Assert.That(IsAlive(pid), Is.False);
        await server.Executions.Executions[1].Completion.WaitAsync(Guard);
        Assert.That(server.Executions.Executions[1].ExitCode, Is.EqualTo(143)); // SIGTERM
    }

    [Test]
    public async Task Delete_ProcessIgnoringSigterm_KilledAfterTheWait()
    {
        await using var server = await ManagerServer.StartAsync(o => o.BuiltInVersion = "v9.9.9");
        server.WriteExecutor("v0.2.7", "trap '' TERM\necho ready\nexec sleep 1000\n");
        await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("unix:///tmp/host.sock"));
        var pid = ((GenVm.Host.Manager.SubprocessExecution)server.Executions.Executions[1].Process!).ProcessId;

        // SIGTERM must arrive after the trap is set, or the shell would die of it.
        await Eventually.TrueAsync(() => server.Executions.Executions[1].Stdout.Length > 0);

        var (status, body) = await server.DeleteAsync("/genvm/1?wait_timeout_ms=200");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!["result"]!.GetValue<string>(), Is.EqualTo("shutdown_completed"));
        await server.Executions.Executions[1].Completion.WaitAsync(Guard);
        Assert.That(IsAlive(pid), Is.False);
        Assert.That(server.Executions.Executions[1].ExitCode, Is.EqualTo(137)); // SIGKILL
    }

    [Test]
    public async Task Shutdown_RunningProcesses_NoneLeftBehind()
    {
        var server = await ManagerServer.StartAsync(o => o.BuiltInVersion = "v9.9.9");
        int[] pids;
        try
        {
            server.WriteExecutor("v0.2.7", "trap '' TERM\nexec sleep 1000\n");
            await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("unix:///tmp/host.sock", isSync: true));
            await server.PostJsonAsync("/genvm/run", ManagerContracts.RunBody("unix:///tmp/host.sock", isSync: true));
            pids = [.. server.Executions.Executions.Values.Select(e => ((GenVm.Host.Manager.SubprocessExecution)e.Process!).ProcessId)];
            Assert.That(pids.All(IsAlive), Is.True);
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.That(pids.Any(IsAlive), Is.False);
    }

    private static bool IsAlive(int pid)
    {
        // A reaped child is gone from /proc; a zombie would still count as a leak.
        return Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture));
    }
}
