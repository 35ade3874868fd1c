using GenVm.Host.Manager;
using GenVm.Host.Verbs;
using Microsoft.Extensions.Configuration;

namespace GenVm.Tests.Host.Manager;

[TestFixture]
public sealed class ManagerArgumentsTests
{
    [Test]
    public void TryParse_EveryFlag_Parsed()
    {
        var ok = ManagerArguments.TryParse(["--host", "0.0.0.0", "--port=4000", "--reroute-to", "dev", "--die-with-parent", "--config", "/c.yaml", "--manifest-path=/m.yaml"], out var parsed, out var error);

        Assert.That(ok, Is.True, error);
        Assert.That(parsed, Is.EqualTo(new ManagerArguments.Parsed("0.0.0.0", 4000, "dev", true, "/c.yaml", "/m.yaml")));
    }

    [TestCase(new[] { "--port", "70000" }, "invalid value `70000` for `--port`: expected a number from 0 to 65535")]
    [TestCase(new[] { "--port" }, "option `--port` needs a value")]
    [TestCase(new[] { "--verbose" }, "unknown option `--verbose`")]
    [TestCase(new[] { "--die-with-parent=yes" }, "unknown option `--die-with-parent=yes`")]
    public void TryParse_BadUsage_Error(string[] args, string message)
    {
        Assert.That(ManagerArguments.TryParse(args, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(message));
    }

    [Test]
    public void LoadOptions_AppsettingsThenYamlThenFlags()
    {
        var directory = Directory.CreateTempSubdirectory("genvm-manager-config-");
        try
        {
            var yaml = Path.Combine(directory.FullName, "genvm-manager.yaml");
            File.WriteAllText(yaml, """
                threads: 4
                blocking_threads: 16
                log_disable: "tracing*"
                log_level: debug
                manifest_path: "${exeDir}/../data/manifest.yaml"
                permits: 6
                unknown_key: ignored
                """);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Manager:port"] = "5000",
                ["Manager:permits"] = "3",
                ["Manager:execution_mode"] = "Subprocess",
            }).Build();

            var options = ManagerVerb.LoadOptions(configuration, new ManagerArguments.Parsed(null, 6000, null, false, yaml, null));

            Assert.That(options.Port, Is.EqualTo(6000));
            Assert.That(options.Permits, Is.EqualTo(6));
            Assert.That(options.LogLevel, Is.EqualTo("debug"));
            Assert.That(options.ExecutionMode, Is.EqualTo(ExecutionMode.Subprocess));
            Assert.That(options.ManifestPath, Is.EqualTo(ConfigTemplate.ExeDir + "/../data/manifest.yaml"));
            Assert.That(options.Threads, Is.EqualTo(4));
            Assert.That(options.BlockingThreads, Is.EqualTo(16));
            Assert.That(options.LogDisable, Is.EqualTo("tracing*"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void LoadOptions_ExplicitConfigMissing_Error()
    {
        var configuration = new ConfigurationBuilder().Build();

        Assert.That(
            () => ManagerVerb.LoadOptions(configuration, new ManagerArguments.Parsed(null, null, null, false, "/nonexistent/genvm-manager.yaml", null)),
            Throws.InstanceOf<ManagerException>().With.Message.StartsWith("Failed to load config /nonexistent/genvm-manager.yaml: "));
    }

    [Test]
    public void LoadOptions_NullPermitsInYaml_Auto()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "manifest_path: /m.yaml\npermits: null\n");
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Manager:permits"] = "3" }).Build();

            var options = ManagerVerb.LoadOptions(configuration, new ManagerArguments.Parsed(null, null, null, false, path, "/override.yaml"));

            Assert.That(options.Permits, Is.Null);
            Assert.That(options.ManifestPath, Is.EqualTo("/override.yaml"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("threads: 0", "threads: `0` is not a whole number of at least 1")]
    [TestCase("blocking_threads: many", "blocking_threads: `many` is not a whole number of at least 1")]
    public void LoadOptions_BadBaseKey_Error(string line, string message)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, line + "\n");

            Assert.That(
                () => ManagerVerb.LoadOptions(new ConfigurationBuilder().Build(), new ManagerArguments.Parsed(null, null, null, false, path, null)),
                Throws.InstanceOf<ManagerException>().With.Message.EqualTo($"Failed to load config {path}: {message}"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("${exeDir}/x", true)]
    [TestCase("${ENV[GENVM_SURELY_UNSET_VARIABLE]}-y", true)]
    [TestCase("${nope}", false)]
    public void Expand_Variables(string text, bool ok)
    {
        if (ok)
        {
            Assert.That(ConfigTemplate.Expand(text, "v0.2.7"), Is.EqualTo(text.Replace("${exeDir}", ConfigTemplate.ExeDir, StringComparison.Ordinal).Replace("${ENV[GENVM_SURELY_UNSET_VARIABLE]}", "", StringComparison.Ordinal)));
        }
        else
        {
            Assert.That(() => ConfigTemplate.Expand(text, "v0.2.7"), Throws.InstanceOf<FormatException>().With.Message.EqualTo("unknown variable `nope`"));
        }
    }
}
