using Microsoft.Extensions.Configuration;

namespace GenVm.Host.Configuration;

/// <summary>
/// The configuration sources the Generic Host's <c>Host.CreateApplicationBuilder</c> gave the CLI, in its order,
/// without building a host: <c>DOTNET_</c>-prefixed environment variables, <c>appsettings.json</c> and
/// <c>appsettings.{environment}.json</c> beside the executable, then every environment variable. The files are not
/// watched for changes (a CLI process reads them once; the watcher was start-up time).
/// </summary>
internal static class VerbConfiguration
{
    /// <summary>The environment name when <c>DOTNET_ENVIRONMENT</c> does not set one (the Generic Host's default).</summary>
    public const string DefaultEnvironment = "Production";

    /// <summary>Builds the default sources rooted at <paramref name="contentRoot"/>; <paramref name="environment"/> is the environment name.</summary>
    public static ConfigurationManager CreateDefault(string contentRoot, out string environment)
    {
        var configuration = new ConfigurationManager();
        configuration.SetBasePath(contentRoot);
        configuration.AddEnvironmentVariables(prefix: "DOTNET_");
        environment = configuration["environment"] is { Length: > 0 } name ? name : DefaultEnvironment;
        configuration.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        configuration.AddJsonFile($"appsettings.{environment}.json", optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        return configuration;
    }
}
