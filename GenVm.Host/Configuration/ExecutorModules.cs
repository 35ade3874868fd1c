using GenVm.Modules.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Host.Configuration;

/// <summary>
/// Where <c>genvm run</c> and <c>genvm exec</c> get their modules (config.md §2, modules.md §2.1). One switch,
/// <c>modules.mode</c>:
/// <list type="bullet">
/// <item><c>websocket</c> (the default, the reference's only way): a WebSocket client of the module at
/// <c>modules.llm.address</c> / <c>modules.web.address</c>; this process holds no provider keys;</item>
/// <item><c>in-process</c> (ours): the module runs inside the executor, configured by the module YAML named in
/// <c>modules.llm.config</c> / <c>modules.web.config</c> (the same file <c>genvm module llm|web --config</c> reads).</item>
/// </list>
/// A module without an address (websocket) or a config file (in-process) is not registered: a contract that calls it
/// ends with an internal error. Either way each execution opens its own session with its Hello
/// (<see cref="GenVm.Modules.Sessions.ModuleSession"/>).
/// </summary>
internal static class ExecutorModules
{
    /// <summary>Value of <c>modules.mode</c> for WebSocket clients.</summary>
    public const string WebSocketMode = "websocket";

    /// <summary>Value of <c>modules.mode</c> for modules inside the executor.</summary>
    public const string InProcessMode = "in-process";

    /// <summary>Registers the LLM and web modules chosen by <c>modules.*</c> in <paramref name="configuration"/>.</summary>
    /// <exception cref="FormatException">An unknown <c>modules.mode</c>, or a module YAML that does not parse.</exception>
    /// <exception cref="IOException">A module YAML cannot be read.</exception>
    public static IServiceCollection AddExecutorModules(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var mode = configuration["modules:mode"];
        switch (string.IsNullOrEmpty(mode) ? WebSocketMode : mode)
        {
            case WebSocketMode:
                var llm = configuration.GetSection("modules:llm");
                if (!string.IsNullOrEmpty(llm["address"]))
                {
                    services.AddLlmModule(llm);
                }

                var web = configuration.GetSection("modules:web");
                if (!string.IsNullOrEmpty(web["address"]))
                {
                    services.AddWebModule(web);
                }

                break;
            case InProcessMode:
                if (ModuleConfiguration(configuration, "llm") is { } llmConfig)
                {
                    services.AddInProcessLlmModule(llmConfig);
                }

                if (ModuleConfiguration(configuration, "web") is { } webConfig)
                {
                    services.AddInProcessWebModule(webConfig);
                }

                break;
            default:
                throw new FormatException($"modules.mode must be `{WebSocketMode}` or `{InProcessMode}`, not `{mode}`");
        }

        return services;
    }

    /// <summary>The module YAML named by <c>modules.&lt;kind&gt;.config</c> (templated, config.md §1), or null.</summary>
    private static IConfiguration? ModuleConfiguration(IConfiguration configuration, string kind)
    {
        var path = configuration[$"modules:{kind}:config"];
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        path = ModuleConfigLoader.Template(path);
        return ModuleConfigLoader.Build(File.ReadAllText(path));
    }
}
