using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenVm.Host.Manager;

/// <summary>Builds the manager's web application: Kestrel on the configured address, services, endpoints, error bodies.</summary>
internal static class ManagerApplication
{
    /// <summary>Builds the application; <paramref name="configure"/> may replace services (tests).</summary>
    /// <exception cref="ManagerException">Bad host address, unreadable manifest.</exception>
    public static WebApplication Build(ManagerOptions options, IConfiguration? configuration = null, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IPAddress.TryParse(options.Host, out var address))
        {
            throw new ManagerException($"invalid host `{options.Host}`: expected an IP address");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(address, options.Port));
        if (!ManagerLogLevel.TryParseName(options.LogLevel, out var initialLevel))
        {
            throw new ManagerException($"invalid log level `{options.LogLevel}`");
        }

        var logLevel = new ManagerLogLevel(initialLevel);
        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFilter((_, _, level) => logLevel.IsEnabled(level));

        // config.md §2 base keys of the manager's file: thread pool minimum, disabled log targets.
        var baseKeys = new Configuration.BaseRuntimeKeys(options.Threads, options.BlockingThreads, Configuration.LogDisable.Parse(options.LogDisable));
        baseKeys.ApplyThreads();
        baseKeys.AddLogDisable(builder.Services);

        var manifestPath = ConfigTemplate.Expand(options.ManifestPath, options.BuiltInVersion);
        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(logLevel);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new ManifestStore(manifestPath));
        services.AddSingleton(sp => new PermitPool(options.Permits ?? LogEstimate(sp)));
        services.AddSingleton<ManagerMetrics>();
        services.AddSingleton<IModuleFactory, LlmModuleFactory>();
        services.AddSingleton<IModuleFactory, WebModuleFactory>();
        services.AddSingleton<ModuleService>();
        services.AddExecutionPool(builder.Configuration.GetSection(GenVm.Core.Pool.ExecutionPoolOptions.SectionName), o =>
        {
            o.CompileCacheDirectory ??= Verbs.CompileCacheDirectory.Resolve();
            o.SnapshotDirectory ??= Verbs.SnapshotCacheDirectory.Resolve();
        });
        services.AddSingleton<ExecutionService>();
        services.AddHostedService(sp => sp.GetRequiredService<ExecutionService>());
        services.AddSingleton<VersionDetector>();
        services.AddSingleton<ReadonlyRunner>();
        services.AddHttpClient();
        if (options.DieWithParent)
        {
            services.AddHostedService<ParentWatcher>();
        }

        configure?.Invoke(services);

        var app = builder.Build();
        app.UseStatusCodePages(WriteStatusBodyAsync);
        app.Use(HandleErrorsAsync);
        app.MapStatusEndpoints()
            .MapModuleEndpoints()
            .MapGenVmEndpoints()
            .MapContractEndpoints()
            .MapAdminEndpoints()
            .MapPermitEndpoints()
            .MapLlmCheckEndpoints()
            .MapMetricsEndpoints();
        return app;
    }

    /// <summary>The base address the started application listens on (for port 0: the port picked).</summary>
    public static Uri BaseAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    private static int LogEstimate(IServiceProvider services)
    {
        var permits = PermitEstimator.Estimate();
        services.GetRequiredService<ILoggerFactory>().CreateLogger("GenVm.Host.Manager").LogInformation(8900, "estimated concurrent GenVM permits: {Permits}", permits);
        return permits;
    }

    private static async Task HandleErrorsAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && !(e is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            var (status, message) = e switch
            {
                ManagerException m => (m.StatusCode, m.Message),
                BadHttpRequestException b => (StatusCodes.Status400BadRequest, b.Message),
                _ => (StatusCodes.Status500InternalServerError, CauseChain(e)),
            };
            if (status == StatusCodes.Status500InternalServerError && e is not ManagerException)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GenVm.Host.Manager").LogError(8901, e, "handler failed");
            }

            context.Response.Clear();
            await ManagerJson.Error(message, status).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    private static async Task WriteStatusBodyAsync(StatusCodeContext context)
    {
        // manager.md §3: no route → 404 {"error":"Not Found"}; a wrong method on a known path gets the same shape.
        var response = context.HttpContext.Response;
        var message = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "Not Found",
            StatusCodes.Status405MethodNotAllowed => "HTTP method not allowed",
            var other => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(other),
        };
        response.ContentType = "application/json";
        await response.WriteAsync(new JsonObject { ["error"] = message }.ToJsonString()).ConfigureAwait(false);
    }

    // manager.md §3: the error text with its cause chain, joined by ": ".
    private static string CauseChain(Exception e)
    {
        var parts = new List<string>();
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            parts.Add(current.Message);
        }

        return string.Join(": ", parts);
    }
}
