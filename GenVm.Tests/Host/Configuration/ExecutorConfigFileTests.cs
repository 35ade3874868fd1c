using GenVm.Host.Configuration;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GenVm.Tests.Host.Configuration;

[TestFixture]
public sealed class ExecutorConfigFileTests
{
    private string _path = string.Empty;

    [SetUp]
    public void SetUp() => _path = Path.Combine(Path.GetTempPath(), "genvm-yaml-" + Guid.NewGuid().ToString("N") + ".yaml");

    [TearDown]
    public void TearDown() => File.Delete(_path);

    [Test]
    public void Load_ShippedShape_FlattensAndTemplatesValuesAndKeys()
    {
        Environment.SetEnvironmentVariable("GENVM_TEST_YAML_VAR", "from-env");
        File.WriteAllText(_path, """
            modules:
              llm:
                address: ws://127.0.0.1:3031
              web:
                address: "${ENV[GENVM_TEST_YAML_VAR]}"
            cache_dir: ${exeDir}/../.cache/
            runners_dir: ${exeDir}/../../../runners/
            threads: 2
            log_disable: genvm::rt::memlimiter
            "${genvmVersion}": k
            """);

        var values = ExecutorConfigFile.Load(_path, "v9.9.9");

        var exeDir = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        Assert.That(values["modules:llm:address"], Is.EqualTo("ws://127.0.0.1:3031"));
        Assert.That(values["modules:web:address"], Is.EqualTo("from-env"));
        Assert.That(values["cache_dir"], Is.EqualTo(exeDir + "/../.cache/"));
        Assert.That(values["runners_dir"], Is.EqualTo(exeDir + "/../../../runners/"));
        Assert.That(values["threads"], Is.EqualTo("2"));
        Assert.That(values["v9.9.9"], Is.EqualTo("k"));
    }

    [Test]
    public void Load_UnsetEnvVariable_IsEmpty()
    {
        File.WriteAllText(_path, "a: x${ENV[GENVM_TEST_SURELY_UNSET_VARIABLE]}y\n");

        Assert.That(ExecutorConfigFile.Load(_path, "v")["a"], Is.EqualTo("xy"));
    }

    [Test]
    public void Load_UnknownVariable_Fails()
    {
        File.WriteAllText(_path, "a: ${genvmRoot}/x\n");

        Assert.That(() => ExecutorConfigFile.Load(_path, "v"), Throws.TypeOf<FormatException>().With.Message.Contains("unknown variable `genvmRoot`"));
    }

    [Test]
    public void Load_NotAMapping_Fails()
    {
        File.WriteAllText(_path, "- a\n- b\n");

        Assert.That(() => ExecutorConfigFile.Load(_path, "v"), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void GlobalOptions_BeforeTheVerb_Parsed()
    {
        var ok = GlobalOptions.TryParse(["--config", "c.yaml", "--log-fd=5", "--log-level", "WARN", "run", "--host", "x"], out var options, out var error);

        Assert.That(ok, Is.True, error);
        Assert.That(options.ConfigPath, Is.EqualTo("c.yaml"));
        Assert.That(options.LogFd, Is.EqualTo(5));
        Assert.That(options.LogLevel, Is.EqualTo(LogLevel.Warning));
        Assert.That(options.Rest, Is.EqualTo(new[] { "run", "--host", "x" }));
    }

    [TestCase("--log-level", "off", "Unknown log level: off", TestName = "GlobalOptions_LogLevelOff_Rejected")]
    [TestCase("--log-fd", "x", "--log-fd takes", TestName = "GlobalOptions_LogFdNotANumber_Rejected")]
    [TestCase("--frob", "1", "unknown global option", TestName = "GlobalOptions_Unknown_Rejected")]
    public void GlobalOptions_Bad_Rejected(string option, string value, string expected)
    {
        Assert.That(GlobalOptions.TryParse([option, value, "run"], out _, out var error), Is.False);
        Assert.That(error, Does.Contain(expected));
    }
}
