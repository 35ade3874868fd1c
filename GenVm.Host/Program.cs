using System.Reflection;
using GenVm.Host.Configuration;
using GenVm.Host.Manager;
using GenVm.Host.Verbs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace GenVm.Host;

/// <summary>Entry point of the <c>genvm</c> executable: builds the Generic Host and dispatches to a verb.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // config.md §3: global options precede the verb.
        if (!GlobalOptions.TryParse(args, out var global, out var globalError))
        {
            Console.Error.WriteLine($"genvm: {globalError}");
            return 2;
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // appsettings.json, then genvm.yaml (config.md §2: --config, else the default path when it exists), then
        // GENVM__-prefixed environment variables (GENVM__Logging__LogLevel__Default=Debug).
        var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var configLevelGiven = global.LogLevel is not null;
        try
        {
            var configPath = ConfigTemplate.Expand(global.ConfigPath ?? ExecutorConfigFile.DefaultPath, version);
            if (global.ConfigPath is not null || File.Exists(configPath))
            {
                var yaml = ExecutorConfigFile.Load(configPath, version);
                if (yaml.TryGetValue("log_level", out var yamlLevel) && yamlLevel is not null)
                {
                    yaml["Logging:LogLevel:Default"] = yamlLevel;
                    configLevelGiven = true;
                }

                builder.Configuration.AddInMemoryCollection(yaml);
            }
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"genvm: cannot load the configuration: {e.Message}");
            return 1;
        }

        builder.Configuration.AddEnvironmentVariables(prefix: "GENVM__");
        if (global.LogLevel is { } level)
        {
            builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", level.ToString())]);
        }

        builder.Logging.ClearProviders();

        // Logs never go to stdout: stdout carries results (the `executed with ...` line, decoded calldata).
        // Logging:Console:FormatterName = "json" switches to JSON lines.
        // AddSimpleConsole would pin the formatter to "simple" and override that setting, so only its options are set.
        if (global.LogFd == 2)
        {
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.Configure<SimpleConsoleFormatterOptions>(o => o.SingleLine = true);
        }
        else
        {
            // --log-fd: JSON lines to stdout (1) or an inherited descriptor.
            builder.Logging.AddProvider(FdLoggerProvider.ForDescriptor(global.LogFd));

            // config.md §2: an executor logs at info when neither --log-level nor log_level names a level (the
            // Warning of appsettings.json keeps the interactive console quiet; a manager reads this pipe).
            if (!configLevelGiven)
            {
                builder.Logging.AddFilter<FdLoggerProvider>(null, LogLevel.Information);
            }
        }

        builder.Services.AddGenVmVerbs();
        try
        {
            // modules.mode (websocket | in-process) chooses the modules of run/exec (ExecutorModules).
            builder.Services.AddExecutorModules(builder.Configuration);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"genvm: cannot load the module configuration: {e.Message}");
            return 1;
        }

        builder.Services.AddExecutionPool(builder.Configuration.GetSection(GenVm.Core.Pool.ExecutionPoolOptions.SectionName), o => o.CompileCacheDirectory ??= CompileCacheDirectory.Resolve());
        using var host = builder.Build();
        return await VerbDispatcher.DispatchAsync(host.Services, global.Rest, CancellationToken.None).ConfigureAwait(false);
    }
}
