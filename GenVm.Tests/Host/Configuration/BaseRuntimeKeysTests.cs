using GenVm.Host.Configuration;
using GenVm.Tests.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GenVm.Tests.Host.Configuration;

/// <summary>The base keys of every YAML config (config.md §2): threads, blocking_threads, log_disable.</summary>
[TestFixture]
public sealed class BaseRuntimeKeysTests
{
    private static BaseRuntimeKeys Read(params (string Key, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Key, v => v.Value);
        return BaseRuntimeKeys.Read(key => map.GetValueOrDefault(key));
    }

    [Test]
    public void Read_ShippedValues_Parsed()
    {
        var keys = Read(("threads", "4"), ("blocking_threads", "16"), ("log_disable", "tracing*"));

        Assert.That(keys.Threads, Is.EqualTo(4));
        Assert.That(keys.BlockingThreads, Is.EqualTo(16));
        Assert.That(keys.LogDisable.Disables("tracing.subscriber"), Is.True);
    }

    [Test]
    public void Read_Absent_NothingApplied()
    {
        var keys = Read();

        Assert.That(keys.Threads, Is.Null);
        Assert.That(keys.BlockingThreads, Is.Null);
        Assert.That(keys.LogDisable.IsEmpty, Is.True);
        Assert.That(keys.MinWorkerThreads(7), Is.EqualTo(7));
    }

    [TestCase("threads", "0")]
    [TestCase("threads", "-2")]
    [TestCase("threads", "two")]
    [TestCase("threads", "1.5")]
    [TestCase("threads", "")]
    [TestCase("blocking_threads", "99999999999")]
    public void Read_NotAPositiveWholeNumber_FormatExceptionNamingTheKey(string key, string value)
    {
        Assert.That(() => Read((key, value)), Throws.InstanceOf<FormatException>().With.Message.EqualTo($"{key}: `{value}` is not a whole number of at least 1"));
    }

    [TestCase(16, 2, 16)]
    [TestCase(2, 2, 2)]
    [TestCase(1, 8, 8)]
    public void MinWorkerThreads_Threads_RaisesNeverLowers(int threads, int current, int expected)
    {
        Assert.That(Read(("threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture))).MinWorkerThreads(current), Is.EqualTo(expected));
    }

    [Test]
    public void AddLogDisable_ProviderRuleAtTrace_DisabledCategoryStillSilent()
    {
        // A provider's own rule (like Program's --log-fd level) wins over category rules; log_disable must not lose to it.
        var recorder = new RecordingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(recorder).AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace));
        Read(("log_disable", "GenVm.Host.Verbs*")).AddLogDisable(services);
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ILoggerFactory>();

        factory.CreateLogger("GenVm.Host.Verbs.RunVerb").LogError("dropped");
        factory.CreateLogger("GenVm.Host.Verbs").LogError("dropped too");
        factory.CreateLogger("GenVm.Host.Manager.ExecutionService").LogDebug("kept");
        provider.GetRequiredService<ILogger<GenVm.Host.Verbs.RunVerb>>().LogCritical("typed, dropped");

        Assert.That(recorder.Records.Select(r => r.Message), Is.EqualTo(new[] { "kept" }));
    }

    [Test]
    public void AddLogDisable_Empty_LeavesTheFactoryAlone()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        Read(("log_disable", "")).AddLogDisable(services);
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ILoggerFactory>(), Is.TypeOf<LoggerFactory>());
    }
}
