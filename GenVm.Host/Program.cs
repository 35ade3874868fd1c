using System.Reflection;
using GenVm.Host.Configuration;
using GenVm.Host.Diagnostics;
using GenVm.Host.Manager;
using GenVm.Host.Verbs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace GenVm.Host;

/// <summary>
/// Entry point of the <c>genvm</c> executable: builds the configuration and a service container and dispatches to a
/// verb. No Generic Host: the verbs only need configuration, logging and a few singletons, and building a host (its
/// lifetime, file watchers, default providers) was a third of a fresh process's start-up (docs/decisions.md,
/// "Host start-up"). The server verbs (<c>manager</c>, <c>module</c>) build their own web hosts.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        StartupTrace.Start();

        // config.md §3: global options precede the verb.
        if (!GlobalOptions.TryParse(args, out var global, out var globalError))
        {
            Console.Error.WriteLine($"genvm: {globalError}");
            return 2;
        }

        // genvm.yaml (config.md §2: --config, else the default path when it exists) is read first: a broken file fails
        // every verb, as it always did, even the ones below that never look at the configuration.
        var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var configLevelGiven = global.LogLevel is not null;
        Dictionary<string, string?>? yaml = null;
        try
        {
            var configPath = ConfigTemplate.Expand(global.ConfigPath ?? ExecutorConfigFile.DefaultPath, version);
            if (global.ConfigPath is not null || File.Exists(configPath))
            {
                yaml = ExecutorConfigFile.Load(configPath, version);
                if (yaml.TryGetValue("log_level", out var yamlLevel) && yamlLevel is not null)
                {
                    // config.md §2: the reference's names (info, warn, …); the Logging section wants LogLevel names.
                    yaml["Logging:LogLevel:Default"] = ManagerLogLevel.TryParseName(yamlLevel, out var parsedLevel)
                        ? parsedLevel.ToString()
                        : throw new FormatException($"Unknown log level: {yamlLevel}");
                    configLevelGiven = true;
                }
            }
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"genvm: cannot load the configuration: {e.Message}");
            return 1;
        }

        if (global.Rest.Count > 0 && ServiceFreeVerbs.Create(global.Rest[0]) is { } serviceFree)
        {
            StartupTrace.Mark("verb " + serviceFree.Name);
            return await serviceFree.RunAsync(global.Rest.Skip(1).ToList(), CancellationToken.None).ConfigureAwait(false);
        }

        // appsettings.json, then genvm.yaml, then GENVM__-prefixed environment variables
        // (GENVM__Logging__LogLevel__Default=Debug).
        var configuration = VerbConfiguration.CreateDefault(AppContext.BaseDirectory, out var environment);
        if (yaml is not null)
        {
            configuration.AddInMemoryCollection(yaml);
        }

        configuration.AddEnvironmentVariables(prefix: "GENVM__");
        if (global.LogLevel is { } level)
        {
            configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", level.ToString())]);
        }

        // config.md §2 base keys: threads sizes the thread pool, log_disable silences targets (BaseRuntimeKeys).
        BaseRuntimeKeys baseKeys;
        try
        {
            baseKeys = BaseRuntimeKeys.Read(key => configuration[key]);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"genvm: cannot load the configuration: {e.Message}");
            return 1;
        }

        baseKeys.ApplyThreads();
        StartupTrace.Mark("configuration");
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging =>
        {
            // The Generic Host's defaults kept here: the Logging section filters, and activity ids on scopes.
            logging.AddConfiguration(configuration.GetSection("Logging"));
            logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.SpanId | ActivityTrackingOptions.TraceId | ActivityTrackingOptions.ParentId);

            // Logs never go to stdout: stdout carries results (the `executed with ...` line, decoded calldata).
            // Logging:Console:FormatterName = "json" switches to JSON lines.
            // AddSimpleConsole would pin the formatter to "simple" and override that setting, so only its options are set.
            if (global.LogFd == 2)
            {
                logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                logging.Services.Configure<SimpleConsoleFormatterOptions>(o => o.SingleLine = true);
            }
            else
            {
                // --log-fd: JSON lines to stdout (1) or an inherited descriptor.
                logging.AddProvider(FdLoggerProvider.ForDescriptor(global.LogFd));

                // config.md §2: an executor logs at info when neither --log-level nor log_level names a level (the
                // Warning of appsettings.json keeps the interactive console quiet; a manager reads this pipe).
                if (!configLevelGiven)
                {
                    logging.AddFilter<FdLoggerProvider>(null, LogLevel.Information);
                }
            }
        });

        baseKeys.AddLogDisable(services);

        // The level below which nothing is logged, known without building the logger factory (exec defers building it).
        services.AddSingleton(_ => LogFloor.ForExecutor(configuration.GetSection("Logging"), global.LogFd == 2 || configLevelGiven ? null : LogLevel.Information));
        services.AddGenVmVerbs();
        try
        {
            // modules.mode (websocket | in-process) chooses the modules of run/exec (ExecutorModules).
            services.AddExecutorModules(configuration);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"genvm: cannot load the module configuration: {e.Message}");
            return 1;
        }

        services.AddExecutionPool(configuration.GetSection(GenVm.Core.Pool.ExecutionPoolOptions.SectionName), o =>
        {
            o.CompileCacheDirectory ??= CompileCacheDirectory.Resolve();
            o.SnapshotDirectory ??= SnapshotCacheDirectory.Resolve();
        });

        // Nothing is constructed here: a service (the logger factory, the pool, a module) is built when a verb first
        // asks for it, so `wasm run` or `calldata` never build the logging pipeline or the modules.
        var development = string.Equals(environment, "Development", StringComparison.OrdinalIgnoreCase);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = development, ValidateOnBuild = development });
        StartupTrace.Mark("services");
        return await VerbDispatcher.DispatchAsync(provider, global.Rest, CancellationToken.None).ConfigureAwait(false);
    }
}
