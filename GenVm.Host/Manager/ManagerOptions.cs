using Microsoft.Extensions.Configuration;

namespace GenVm.Host.Manager;

/// <summary>
/// Settings of <c>genvm manager</c>: the CLI flags and config keys of manager.md §2 plus ours. Bound from the
/// <c>Manager</c> section of <c>appsettings.json</c> (<c>GENVM__Manager__…</c> overrides), then from the YAML file of
/// <c>--config</c> when one exists, then from the command line.
/// </summary>
internal sealed class ManagerOptions
{
    /// <summary>The built-in executor version: the release the reference shipped at our target commit (manager.md §2).</summary>
    public const string DefaultBuiltInVersion = "v0.2.7";

    /// <summary><c>--host</c>: bind IP.</summary>
    [ConfigurationKeyName("host")]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary><c>--port</c>: TCP port (0 picks a free one).</summary>
    [ConfigurationKeyName("port")]
    public int Port { get; set; } = 3999;

    /// <summary><c>--reroute-to</c>: when non-empty, every execution and probe uses <c>&lt;root&gt;/executor/&lt;this&gt;/bin/genvm</c>.</summary>
    [ConfigurationKeyName("reroute_to")]
    public string RerouteTo { get; set; } = "";

    /// <summary><c>--die-with-parent</c>: exit when the parent process changes (polled every 5 s).</summary>
    [ConfigurationKeyName("die_with_parent")]
    public bool DieWithParent { get; set; }

    /// <summary><c>--config</c>: the manager YAML (templated path); a missing file at the default path is not an error.</summary>
    [ConfigurationKeyName("config")]
    public string ConfigPath { get; set; } = "${exeDir}/../config/genvm-manager.yaml";

    /// <summary><c>manifest_path</c> / <c>--manifest-path</c>: the executor-version manifest (YAML or JSON).</summary>
    [ConfigurationKeyName("manifest_path")]
    public string ManifestPath { get; set; } = "${exeDir}/manifest.yaml";

    /// <summary><c>permits</c>: total permits; null or absent → automatic (manager.md §5.1).</summary>
    [ConfigurationKeyName("permits")]
    public int? Permits { get; set; }

    /// <summary><c>log_level</c>: the initial level of the manager's log.</summary>
    [ConfigurationKeyName("log_level")]
    public string LogLevel { get; set; } = "info";

    /// <summary><c>threads</c> (config.md §2 base keys): raises the thread pool's minimum worker count; null leaves it.</summary>
    [ConfigurationKeyName("threads")]
    public int? Threads { get; set; }

    /// <summary><c>blocking_threads</c>: validated, no .NET equivalent (docs/decisions.md "log_disable, threads, blocking_threads").</summary>
    [ConfigurationKeyName("blocking_threads")]
    public int? BlockingThreads { get; set; }

    /// <summary><c>log_disable</c>: log targets (categories) of the manager's log to drop (config.md §5.2).</summary>
    [ConfigurationKeyName("log_disable")]
    public string LogDisable { get; set; } = "";

    /// <summary><c>root</c>: the install root holding <c>executor/&lt;version&gt;/bin/genvm</c>; default the parent of the binary's directory.</summary>
    [ConfigurationKeyName("root")]
    public string Root { get; set; } = "${exeDir}/..";

    /// <summary><c>builtin_version</c>: the manifest version served by this binary's own executor.</summary>
    [ConfigurationKeyName("builtin_version")]
    public string BuiltInVersion { get; set; } = DefaultBuiltInVersion;

    /// <summary><c>execution_mode</c>: <c>InProcess</c> or <c>Subprocess</c> for the built-in version (others always run as a subprocess).</summary>
    [ConfigurationKeyName("execution_mode")]
    public ExecutionMode ExecutionMode { get; set; } = ExecutionMode.InProcess;

    /// <summary><c>builtin_command</c>: the command line prefix that runs this binary's executor as a subprocess (default: this executable).</summary>
    [ConfigurationKeyName("builtin_command")]
    public string[] BuiltInCommand { get; set; } = [];

    /// <summary><c>gc_interval</c>: the period of the execution-table sweep (manager.md §5.4).</summary>
    [ConfigurationKeyName("gc_interval")]
    public TimeSpan GcInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>module_start_wait</c>: how long <c>/module/start</c> waits before it declares a module healthy (manager.md §4).</summary>
    [ConfigurationKeyName("module_start_wait")]
    public TimeSpan ModuleStartWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>shutdown_grace</c>: how long a shutdown waits for cancelled executions before it kills them.</summary>
    [ConfigurationKeyName("shutdown_grace")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);
}
