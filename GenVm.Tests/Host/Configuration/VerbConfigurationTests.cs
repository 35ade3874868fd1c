using GenVm.Host.Configuration;

namespace GenVm.Tests.Host.Configuration;

[TestFixture]
public sealed class VerbConfigurationTests
{
    [Test]
    public void CreateDefault_AppSettingsBesideTheExecutable_AreLoaded()
    {
        var configuration = VerbConfiguration.CreateDefault(AppContext.BaseDirectory, out _);
        Assert.That(configuration["Logging:LogLevel:Default"], Is.EqualTo("Warning"));
    }

    [Test]
    public void CreateDefault_EnvironmentFileAndVariables_OverrideInTheHostOrder()
    {
        // The Generic Host's order: appsettings.json < appsettings.{environment}.json < environment variables.
        var expectedEnvironment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } name ? name : VerbConfiguration.DefaultEnvironment;
        var key = "genvm_test_verbconfig_" + Environment.ProcessId;
        var root = Directory.CreateTempSubdirectory("genvm-verb-config-");
        try
        {
            File.WriteAllText(Path.Combine(root.FullName, "appsettings.json"), $$$"""{"{{{key}}}": {"a": "json", "b": "json", "c": "json"}}""");
            File.WriteAllText(Path.Combine(root.FullName, $"appsettings.{expectedEnvironment}.json"), $$$"""{"{{{key}}}": {"b": "environment", "c": "environment"}}""");
            Environment.SetEnvironmentVariable(key + "__c", "variable");
            try
            {
                var configuration = VerbConfiguration.CreateDefault(root.FullName, out var environment);
                Assert.That(
                    (environment, configuration[key + ":a"], configuration[key + ":b"], configuration[key + ":c"]),
                    Is.EqualTo((expectedEnvironment, "json", "environment", "variable")));
            }
            finally
            {
                Environment.SetEnvironmentVariable(key + "__c", null);
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
