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
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // appsettings.json, then GENVM__-prefixed environment variables (GENVM__Logging__LogLevel__Default=Debug).
        builder.Configuration.AddEnvironmentVariables(prefix: "GENVM__");
        builder.Logging.ClearProviders();

        // Logs never go to stdout: stdout carries results (the `executed with ...` line, decoded calldata).
        // Logging:Console:FormatterName = "json" switches to JSON lines.
        // AddSimpleConsole would pin the formatter to "simple" and override that setting, so only its options are set.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o => o.SingleLine = true);
        builder.Services.AddGenVmVerbs();
        using var host = builder.Build();
        return await VerbDispatcher.DispatchAsync(host.Services, args, CancellationToken.None).ConfigureAwait(false);
    }
}
