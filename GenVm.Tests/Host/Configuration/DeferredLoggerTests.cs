using GenVm.Host.Configuration;
using GenVm.Tests.Host;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GenVm.Tests.Host.Configuration;

/// <summary>The real logger is created on the first record at or above the floor, never below it.</summary>
[TestFixture]
public sealed class DeferredLoggerTests
{
    [Test]
    public void Log_BelowTheFloor_NeverCreatesTheLogger()
    {
        var created = 0;
        var logger = new DeferredLogger(LogLevel.Warning, () => { created++; return new RecordingLoggerProvider().CreateLogger("c"); });

        logger.LogInformation("quiet");
        logger.LogDebug("quiet");

        Assert.That(logger.IsEnabled(LogLevel.Information), Is.False);
        Assert.That(created, Is.Zero);
        Assert.That(logger.Created, Is.False);
    }

    [Test]
    public void Log_AtTheFloor_CreatesTheLoggerOnceAndForwards()
    {
        var recorder = new RecordingLoggerProvider();
        var created = 0;
        var logger = new DeferredLogger(LogLevel.Warning, () => { created++; return recorder.CreateLogger("c"); });

        logger.LogWarning("one");
        logger.LogError("two");
        logger.LogInformation("dropped");

        Assert.That(created, Is.EqualTo(1));
        Assert.That(recorder.Records.Select(r => r.Message), Is.EqualTo(new[] { "one", "two" }));
    }

    [Test]
    public void IsEnabled_AboveTheFloor_AsksTheRealLogger()
    {
        using var factory = new LoggerFactory([new RecordingLoggerProvider()], new LoggerFilterOptions { MinLevel = LogLevel.Error });
        var logger = new DeferredLogger(LogLevel.Debug, () => factory.CreateLogger("c"));

        Assert.That(logger.IsEnabled(LogLevel.Warning), Is.False);
        Assert.That(logger.IsEnabled(LogLevel.Error), Is.True);
        Assert.That(logger.IsEnabled(LogLevel.None), Is.False);
        Assert.That(logger.Created, Is.True);
    }

    [Test]
    public void BeginScope_FloorNone_NoLogger()
    {
        var created = 0;
        var logger = new DeferredLogger(LogLevel.None, () => { created++; return new RecordingLoggerProvider().CreateLogger("c"); });

        Assert.That(logger.BeginScope("s"), Is.Null);
        logger.LogCritical("dropped");
        Assert.That(created, Is.Zero);
    }
}
