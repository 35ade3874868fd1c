using System.Diagnostics;
using System.Net;
using GenVm.Core.Modules;
using GenVm.Modules.Llm;
using GenVm.Modules.Transport;
using GenVm.Modules.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm module llm|web [--config &lt;yaml&gt;] [--listen host:port] [--die-with-parent] [--allow-empty-backends]</c>:
/// serves one module as its own WebSocket server (modules.md §2, §3.1, §4.1). The YAML is the operator's
/// <c>genvm-module-{llm,web}.yaml</c> (templated, config.md §1); <c>--listen</c> overrides <c>bind_address</c>.
/// Prints <c>listening on ws://…</c> once the module is ready (its script loaded, <c>/health</c> answers).
/// SIGTERM/SIGINT stop it; exit code 0 after a clean stop, 1 when the module cannot start, 2 on bad usage.
/// </summary>
internal sealed class ModuleVerb : IVerb
{
    private const string Usage = "usage: genvm module llm|web [--config <yaml>] [--listen host:port] [--die-with-parent] [--allow-empty-backends]";

    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    /// <summary>Uses the process's standard streams.</summary>
    public ModuleVerb()
        : this(Console.Out, Console.Error)
    {
    }

    /// <summary>Uses the given writers (tests).</summary>
    internal ModuleVerb(TextWriter stdout, TextWriter stderr)
    {
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>Called with the server's address once it listens (tests).</summary>
    internal Action<Uri>? Listening { get; init; }

    public string Name => "module";

    public string Summary => "serve the llm or web module over WebSocket: module llm|web [--config <yaml>] [--listen host:port]";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        TerminationSignals.RunAsync(token => RunCoreAsync(args, token), cancellationToken);

    /// <summary>Runs until <paramref name="cancellationToken"/> (the termination signal) or the parent's death.</summary>
    internal async Task<int> RunCoreAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || args[0] is not ("llm" or "web"))
        {
            await _stderr.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var kind = args[0];
        string? configPath = null;
        string? listen = null;
        var dieWithParent = false;
        var allowEmpty = false;
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Count:
                    configPath = args[++i];
                    break;
                case "--listen" when i + 1 < args.Count:
                    listen = args[++i];
                    break;
                case "--die-with-parent":
                    dieWithParent = true;
                    break;
                case "--allow-empty-backends" when kind == "llm":
                    allowEmpty = true;
                    break;
                default:
                    await _stderr.WriteLineAsync($"genvm module: unexpected argument {args[i]}\n{Usage}").ConfigureAwait(false);
                    return 2;
            }
        }

        IConfiguration configuration;
        GenVm.Host.Configuration.BaseRuntimeKeys baseKeys;
        try
        {
            // modules.md §3.1/§4.1: the shipped default file (config/genvm-module-*.yaml); when no default file exists at
            // all, the options' built-in defaults.
            var path = configPath is null
                ? GenVm.Host.Configuration.ModuleConfigFiles.DefaultPath(kind, AppContext.BaseDirectory.TrimEnd('/'))
                : ModuleConfigLoader.Template(configPath);
            var yaml = configPath is null && !File.Exists(path) ? "" : await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            var overrides = new Dictionary<string, string?>();
            if (allowEmpty)
            {
                overrides["allow_empty_backends"] = "true";
            }

            configuration = ModuleConfigLoader.Build(yaml, overrides);
            baseKeys = GenVm.Host.Configuration.BaseRuntimeKeys.Read(key => configuration[key]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            await _stderr.WriteLineAsync($"genvm module {kind}: config: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        listen ??= configuration["bind_address"] ?? (kind == "llm" ? "127.0.0.1:3031" : "127.0.0.1:3032");
        if (!IPEndPoint.TryParse(listen, out var endpoint))
        {
            await _stderr.WriteLineAsync($"genvm module {kind}: bad listen address {listen}").ConfigureAwait(false);
            return 2;
        }

        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning).AddFilter("System.Net.Http", LogLevel.Warning)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

        // config.md §2 base keys of the module's file: thread pool minimum, disabled log targets (BaseRuntimeKeys).
        baseKeys.ApplyThreads();
        baseKeys.AddLogDisable(services);
        if (kind == "llm")
        {
            services.AddInProcessLlmModule(configuration);
        }
        else
        {
            services.AddInProcessWebModule(configuration);
        }

        await using var provider = services.BuildServiceProvider();
        ModuleServer server;
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            IModuleEndpoint moduleEndpoint;
            if (kind == "llm")
            {
                var module = provider.GetRequiredService<ILlmModule>();
                await ((LlmModule)module).WarmUpAsync(cancellationToken).ConfigureAwait(false);
                moduleEndpoint = ModuleEndpoints.For(module);
            }
            else
            {
                var module = provider.GetRequiredService<IWebModule>();
                await ((WebModule)module).WarmUpAsync(cancellationToken).ConfigureAwait(false);
                moduleEndpoint = ModuleEndpoints.For(module);
            }

            server = await ModuleServer.StartAsync(endpoint, moduleEndpoint, provider.GetRequiredService<ILoggerFactory>(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OptionsValidationException or GenVm.Modules.Scripting.LuaScriptException or IOException or InvalidOperationException)
        {
            await _stderr.WriteLineAsync($"genvm module {kind}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            await _stdout.WriteLineAsync($"listening on {server.Address}").ConfigureAwait(false);
            await _stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            Listening?.Invoke(server.Address);
            try
            {
                await WaitAsync(dieWithParent, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM/SIGINT: graceful stop.
            }
        }

        return 0;
    }

    private static async Task WaitAsync(bool dieWithParent, CancellationToken cancellationToken)
    {
        if (!dieWithParent)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            return;
        }

        // modules.md §3.1 --die-with-parent: every 5 s compare the parent PID with the one at start-up.
        var parent = ParentId();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ParentId() != parent)
            {
                return;
            }
        }
    }

    private static int ParentId()
    {
        // /proc/self/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
