using System.Text;
using System.Text.Json;
using GenVm.Host.Configuration;
using GenVm.Host.Verbs;
using GenVm.Tests.Core.Supervisor;
using GenVm.Tests.Wasm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GenVm.Tests.Host;

/// <summary>
/// <c>genvm exec</c> logs like <c>run</c> (config.md §5): its records under its own category, the executor's records
/// through the same logger, JSON lines when configured, and nothing (no logger factory at all) at the default level.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class ExecVerbLoggingTests
{
    private const string ExecCategory = "GenVm.Host.Verbs.ExecVerb";

    // Prints "hello" and returns.
    private const string Hello = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 100) "hello\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 6))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
        """;

    private string _dir = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "genvm-exec-log-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Contract(string wat)
    {
        var path = Path.Combine(_dir, "contract.wasm");
        File.WriteAllBytes(path, WatCompiler.Compile(wat));
        return path;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(IServiceProvider services, params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var code = await new ExecVerb(() => stdout, () => stderr, services).RunCoreAsync(args, CancellationToken.None);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    private static ServiceProvider Services(RecordingLoggerProvider recorder, LogLevel level, Action? factoryBuilt = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(level).AddProvider(recorder));
        if (factoryBuilt is not null)
        {
            // Counts the constructions of the process's logger factory.
            services.AddSingleton<ILoggerFactory>(sp =>
            {
                factoryBuilt();
                return new LoggerFactory([recorder], new LoggerFilterOptions { MinLevel = level });
            });
        }

        services.AddSingleton(new LogFloor(level));
        return services.BuildServiceProvider();
    }

    [Test]
    public async Task Exec_InformationLevel_RecordsStartAndFinishUnderItsCategory()
    {
        var recorder = new RecordingLoggerProvider();
        await using var services = Services(recorder, LogLevel.Information);

        var run = await ExecAsync(services, Contract(Hello), "--deploy");

        Assert.That(run.Stdout, Is.EqualTo("hello\nexecuted with `Return(\"\\x00\")`\n"));
        var records = recorder.Records.Where(r => r.Category == ExecCategory).ToList();
        Assert.That(records.Select(r => r.EventId), Is.EqualTo(new[] { 8350, 8351 }));
        Assert.That(records[0].Message, Does.Contain("contract 0x0100000000000000000000000000000000000000, deploy True"));
        Assert.That(records[1].Message, Does.StartWith("transaction finished with Return in "));
        Assert.That(records.Select(r => r.Level), Is.All.EqualTo(LogLevel.Information));
    }

    [Test]
    public async Task Exec_SubVm_ExecutorRecordsGoToTheSameLogger()
    {
        var recorder = new RecordingLoggerProvider();
        await using var services = Services(recorder, LogLevel.Information);
        var nondet = GenVm.Core.Calldata.CalldataValue.FromMap(("RunNondet", GenVm.Core.Calldata.CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 }))));

        var run = await ExecAsync(services, Contract(new SubVmContract { MainRequest = nondet }.ToWat()), "--leader");

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);

        // SupervisorLog.SubVmEnded (6000) through ExecutionRequest.Log, under exec's category like run's records.
        Assert.That(recorder.Records.Where(r => r.EventId == 6000).Select(r => r.Category), Is.Not.Empty.And.All.EqualTo(ExecCategory));
    }

    [Test]
    public async Task Exec_VmError_RecordedAtInformationAndPrintedOnce()
    {
        var recorder = new RecordingLoggerProvider();
        await using var services = Services(recorder, LogLevel.Information);
        var nondet = GenVm.Core.Calldata.CalldataValue.FromMap(("RunNondet", GenVm.Core.Calldata.CalldataValue.FromMap(("data_leader", new byte[] { 1 }), ("data_validator", new byte[] { 2 }))));

        var run = await ExecAsync(services, Contract(new SubVmContract { MainRequest = nondet }.ToWat()), "--validator");

        Assert.That(run.Stdout, Is.EqualTo("executed with `VMError(\"absent\")`\n"));
        var vmError = recorder.Records.Single(r => r.EventId == 8352);
        Assert.That(vmError.Level, Is.EqualTo(LogLevel.Information));
        Assert.That(vmError.Message, Is.EqualTo("vm error: absent"));
    }

    [Test]
    public async Task Exec_WarningFloorAndNothingToWarnAbout_NeverBuildsTheLoggerFactory()
    {
        var recorder = new RecordingLoggerProvider();
        var built = 0;
        await using var services = Services(recorder, LogLevel.Warning, () => built++);

        var run = await ExecAsync(services, Contract(Hello));

        Assert.That(run.Stdout, Is.EqualTo("hello\nexecuted with `Return(\"\\x00\")`\n"));
        Assert.That(run.Stderr, Is.Empty);
        Assert.That(built, Is.Zero);
        Assert.That(recorder.Records, Is.Empty);
    }

    [Test]
    public async Task Exec_InformationFloor_BuildsTheLoggerFactoryOnce()
    {
        var recorder = new RecordingLoggerProvider();
        var built = 0;
        await using var services = Services(recorder, LogLevel.Information, () => built++);

        await ExecAsync(services, Contract(Hello));

        Assert.That(built, Is.EqualTo(1));
        Assert.That(recorder.Records.Count(r => r.Category == ExecCategory), Is.EqualTo(2));
    }

    [Test]
    public void Exec_Process_JsonConsoleConfigured_WritesJsonLinesToStderrAndTheSameStdout()
    {
        var contract = Contract(Hello);

        var quiet = GenVmProcess.Run([], "exec", contract);
        var logged = GenVmProcess.Run([("GENVM__Logging__Console__FormatterName", "json")], "--log-level", "info", "exec", contract);

        Assert.That(quiet.ExitCode, Is.Zero, quiet.Stderr);
        Assert.That(quiet.Stdout, Is.EqualTo("hello\nexecuted with `Return(\"\\x00\")`\n"));
        Assert.That(quiet.Stderr, Is.Empty);
        Assert.That(logged.ExitCode, Is.Zero, logged.Stderr);
        Assert.That(logged.Stdout, Is.EqualTo(quiet.Stdout));
        var lines = logged.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var records = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var exec = records.Where(r => r.GetProperty("Category").GetString() == ExecCategory).ToList();
        Assert.That(exec.Select(r => r.GetProperty("EventId").GetInt32()), Is.EqualTo(new[] { 8350, 8351 }));
        Assert.That(exec.Select(r => r.GetProperty("LogLevel").GetString()), Is.All.EqualTo("Information"));
        Assert.That(exec[1].GetProperty("State").GetProperty("Kind").GetString(), Is.EqualTo("Return"));
    }

    [Test]
    public void Exec_Process_LogDisableInGenvmYaml_SilencesThoseCategories()
    {
        var contract = Contract(Hello);
        var disabled = Path.Combine(_dir, "disabled.yaml");
        var enabled = Path.Combine(_dir, "enabled.yaml");
        File.WriteAllText(disabled, "log_level: info\nthreads: 2\nblocking_threads: 4\nlog_disable: genvm::rt::memlimiter,GenVm.Host.Verbs*\n");
        File.WriteAllText(enabled, "log_level: info\nthreads: 2\nblocking_threads: 4\nlog_disable: genvm::rt::memlimiter\n");

        var silent = GenVmProcess.Run([], "--config", disabled, "exec", contract);
        var logged = GenVmProcess.Run([], "--config", enabled, "exec", contract);

        Assert.That(silent.ExitCode, Is.Zero, silent.Stderr);
        Assert.That(silent.Stdout, Is.EqualTo("hello\nexecuted with `Return(\"\\x00\")`\n"));
        Assert.That(silent.Stderr, Is.Empty);
        Assert.That(logged.Stdout, Is.EqualTo(silent.Stdout));
        Assert.That(logged.Stderr, Does.Contain(ExecCategory + "[8351]"));
    }

    [TestCase("threads: 0", "threads: `0` is not a whole number of at least 1")]
    [TestCase("blocking_threads: lots", "blocking_threads: `lots` is not a whole number of at least 1")]
    [TestCase("log_level: off", "Unknown log level: off")]
    public void Exec_Process_BadBaseKeyInGenvmYaml_RefusedAtStartUp(string line, string message)
    {
        var config = Path.Combine(_dir, "genvm.yaml");
        File.WriteAllText(config, line + "\n");

        var run = GenVmProcess.Run([], "--config", config, "exec", Contract(Hello));

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Stdout, Is.Empty);
        Assert.That(run.Stderr, Is.EqualTo($"genvm: cannot load the configuration: {message}\n"));
    }

    [Test]
    public void Exec_Process_LogFd_WritesSpecJsonLines()
    {
        var contract = Contract(Hello);

        // config.md §5.1: {"level","target","message"} lines on the --log-fd descriptor (here stdout, before the report).
        var run = GenVmProcess.Run([], "--log-fd", "1", "exec", contract);

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(json.Select(r => r.GetProperty("target").GetString()), Is.EqualTo(new[] { ExecCategory, ExecCategory }));
        Assert.That(json.Select(r => r.GetProperty("level").GetString()), Is.All.EqualTo("info"));
        Assert.That(lines.Where(l => !l.StartsWith('{')), Is.EqualTo(new[] { "hello", "executed with `Return(\"\\x00\")`" }));
    }
}
