using GenVm.Host.Manager;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm manager</c>: the manager HTTP API (manager.md). Options come from the <c>Manager</c> section of
/// <c>appsettings.json</c> (and <c>GENVM__Manager__…</c>), then the YAML file of <c>--config</c>, then the flags.
/// SIGTERM/SIGINT shut it down gracefully: executions are cancelled and no executor process is left behind.
/// </summary>
internal sealed class ManagerVerb(IConfiguration configuration) : IVerb
{
    public string Name => "manager";

    public string Summary => "the manager HTTP API: manager [--host 127.0.0.1] [--port 3999] [--config <path>]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (!ManagerArguments.TryParse(args, out var parsed, out var error))
        {
            await Console.Error.WriteLineAsync($"genvm manager: {error}\n{ManagerArguments.Usage}").ConfigureAwait(false);
            return 2;
        }

        WebApplication app;
        try
        {
            var options = LoadOptions(configuration, parsed);
            app = ManagerApplication.Build(options, configuration);
        }
        catch (ManagerException e)
        {
            await Console.Error.WriteLineAsync($"genvm manager: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            await app.RunAsync().ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>appsettings, then the config file (a missing file is an error only when <c>--config</c> named it), then the flags.</summary>
    internal static ManagerOptions LoadOptions(IConfiguration configuration, ManagerArguments.Parsed parsed)
    {
        var options = new ManagerOptions();
        configuration.GetSection("Manager").Bind(options);
        if (parsed.ConfigPath is not null)
        {
            options.ConfigPath = parsed.ConfigPath;
        }

        string configPath;
        try
        {
            configPath = ConfigTemplate.Expand(options.ConfigPath, options.BuiltInVersion);
        }
        catch (FormatException e)
        {
            throw new ManagerException($"invalid config path: {e.Message}");
        }

        if (File.Exists(configPath) || parsed.ConfigPath is not null)
        {
            ManagerConfigFile.Apply(configPath, options);
        }

        options.Host = parsed.Host ?? options.Host;
        options.Port = parsed.Port ?? options.Port;
        options.RerouteTo = parsed.RerouteTo ?? options.RerouteTo;
        options.DieWithParent |= parsed.DieWithParent;
        options.ManifestPath = parsed.ManifestPath ?? options.ManifestPath;
        return options;
    }
}
