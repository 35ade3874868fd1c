using GenVm.Host.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GenVm.Tests.Host.Configuration;

/// <summary>The lower bound of what any logger can write, read from the Logging section (no logger factory built).</summary>
[TestFixture]
public sealed class LogFloorTests
{
    private static IConfiguration Logging(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Logging:" + v.Key, v.Value))).Build().GetSection("Logging");

    [Test]
    public void FromConfiguration_NoRules_AddLoggingsInformation()
    {
        Assert.That(LogFloor.FromConfiguration(Logging()), Is.EqualTo(LogLevel.Information));
    }

    [Test]
    public void FromConfiguration_DefaultWarning_Warning()
    {
        Assert.That(LogFloor.FromConfiguration(Logging(("LogLevel:Default", "Warning"), ("Console:FormatterName", "json"))), Is.EqualTo(LogLevel.Warning));
    }

    [Test]
    public void FromConfiguration_CategoryRuleBelowTheDefault_ThatRule()
    {
        Assert.That(LogFloor.FromConfiguration(Logging(("LogLevel:Default", "Warning"), ("LogLevel:GenVm.Host", "debug"))), Is.EqualTo(LogLevel.Debug));
    }

    [Test]
    public void FromConfiguration_ProviderRule_Counts()
    {
        Assert.That(LogFloor.FromConfiguration(Logging(("LogLevel:Default", "Error"), ("Console:LogLevel:Default", "Trace"))), Is.EqualTo(LogLevel.Trace));
    }

    [Test]
    public void FromConfiguration_UnknownLevelName_TraceSoTheFactoryDecides()
    {
        Assert.That(LogFloor.FromConfiguration(Logging(("LogLevel:Default", "loud"))), Is.EqualTo(LogLevel.Trace));
    }

    [Test]
    public void FromConfiguration_NoneEverywhere_None()
    {
        Assert.That(LogFloor.FromConfiguration(Logging(("LogLevel:Default", "None"))), Is.EqualTo(LogLevel.None));
    }

    [Test]
    public void ForExecutor_LogFdWithoutAConfiguredLevel_InformationEvenUnderAWarningDefault()
    {
        Assert.That(LogFloor.ForExecutor(Logging(("LogLevel:Default", "Warning")), LogLevel.Information).Level, Is.EqualTo(LogLevel.Information));
        Assert.That(LogFloor.ForExecutor(Logging(("LogLevel:Default", "Warning")), null).Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(LogFloor.ForExecutor(Logging(("LogLevel:Default", "Debug")), LogLevel.Information).Level, Is.EqualTo(LogLevel.Debug));
    }
}
