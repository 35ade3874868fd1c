using GenVm.Host.Configuration;
using NUnit.Framework;

namespace GenVm.Tests.Host.Configuration;

/// <summary><c>log_disable</c> entries (config.md §5.2) against our logger categories.</summary>
[TestFixture]
public sealed class LogDisableTests
{
    [TestCase("GenVm.Host*", "GenVm.Host", true)]
    [TestCase("GenVm.Host*", "GenVm.Host.Verbs.RunVerb", true)]
    [TestCase("GenVm.Host*", "GenVm.HostX", false)]
    [TestCase("GenVm.Host*", "GenVm", false)]
    [TestCase("GenVm.Host.*", "GenVm.Host", false)]
    [TestCase("GenVm.Host.*", "GenVm.Host.Verbs", true)]
    [TestCase("GenVm::Host::*", "GenVm.Host.Verbs", true)]
    [TestCase("GenVm::Host::*", "GenVm.Host", false)]
    [TestCase("GenVm.Host.Verbs.RunVerb", "GenVm.Host.Verbs.RunVerb", true)]
    [TestCase("GenVm.Host.Verbs.RunVerb", "GenVm.Host.Verbs.RunVerbX", false)]
    [TestCase("GenVm.Host.Verbs", "GenVm.Host.Verbs.RunVerb", false)]
    [TestCase("genvm.host.verbs.runverb", "GenVm.Host.Verbs.RunVerb", true)]
    [TestCase("genvm::rt::memlimiter", "genvm.rt.memlimiter", true)]
    [TestCase("tracing*,polling*,tungstenite*,tokio_tungstenite*", "tokio_tungstenite.client", true)]
    [TestCase("tracing*,polling*,tungstenite*,tokio_tungstenite*", "GenVm.Modules.Llm.LlmModule", false)]
    [TestCase(" a , ,GenVm.Modules* ", "GenVm.Modules.Web.WebModule", true)]
    [TestCase("*", "GenVm.Host", false)]
    public void Disables_Entry_MatchesTheSpecRule(string value, string category, bool expected)
    {
        Assert.That(LogDisable.Parse(value).Disables(category), Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    [TestCase(" , ,")]
    public void Parse_Blank_DisablesNothing(string? value)
    {
        var disable = LogDisable.Parse(value);

        Assert.That(disable.IsEmpty, Is.True);
        Assert.That(disable.Disables("GenVm.Host.Verbs.RunVerb"), Is.False);
    }
}
