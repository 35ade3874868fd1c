using System.Reflection;
using System.Text.Json.Nodes;
using GenVm.Host.Manager;
using Microsoft.Extensions.Configuration;

namespace GenVm.Tests.Host.Configuration;

/// <summary>
/// <c>appsettings.json</c> holds every manager option with its default (the README's configuration reference lists
/// the same keys), and binding it changes nothing.
/// </summary>
[TestFixture]
public sealed class AppSettingsTests
{
    private static readonly string AppSettingsPath = Path.Combine(RepositoryRoot.Path, "appsettings.json");

    [Test]
    public void ManagerSection_EveryOptionKey_Present()
    {
        var section = JsonNode.Parse(File.ReadAllText(AppSettingsPath))!["Manager"]!.AsObject();
        var keys = typeof(ManagerOptions).GetProperties()
            .Select(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
            .OfType<string>()
            .ToList();

        Assert.That(keys, Has.Count.GreaterThanOrEqualTo(15));
        Assert.That(section.Select(p => p.Key), Is.EquivalentTo(keys));
    }

    [Test]
    public void ManagerSection_Bound_EqualsTheDefaults()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(AppSettingsPath).Build();
        var bound = new ManagerOptions { Permits = 7, BuiltInCommand = ["x"] };
        var defaults = new ManagerOptions();

        configuration.GetSection("Manager").Bind(bound);

        Assert.That(bound.Permits, Is.Null);
        Assert.That(bound.BuiltInCommand, Is.EqualTo(new[] { "x" }), "an empty JSON array binds nothing");
        foreach (var property in typeof(ManagerOptions).GetProperties().Where(p => p.Name is not nameof(ManagerOptions.BuiltInCommand)))
        {
            Assert.That(property.GetValue(bound), Is.EqualTo(property.GetValue(defaults)), property.Name);
        }
    }

    [Test]
    public void ExecutorKeys_EmptyValuesMeanTheDefaults()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(AppSettingsPath).Build();

        Assert.That(configuration["modules:mode"], Is.EqualTo("websocket"));
        Assert.That(new[] { "modules:llm:address", "modules:llm:config", "modules:web:address", "modules:web:config", "runners_dir" }.Select(k => configuration[k]), Has.All.Empty);
    }
}
