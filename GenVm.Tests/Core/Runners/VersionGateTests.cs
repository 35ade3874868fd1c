using GenVm.Core.Runners;
using GenVm.Core.Sdk;

namespace GenVm.Tests.Core.Runners;

[TestFixture]
public sealed class VersionGateTests
{
    // message.json's default datetime 2024-11-26T06:42:42.424242Z.
    private const long DefaultDatetime = 1732603362;
    private const long Year2026 = 1767225600;

    [TestCase("v0.1.0", 0, 1, 0)]
    [TestCase("0.1.0", 0, 1, 0)]
    [TestCase(" v0.1.10 ", 0, 1, 10)]
    [TestCase("\tv0.2.16\r", 0, 2, 16)]
    [TestCase("v65535.0.1", 65535, 0, 1)]
    public void Parse_ValidVersions_Numbers(string text, int major, int minor, int patch) =>
        Assert.That(ContractVersion.Parse(text), Is.EqualTo(new AbiVersionNumber(major, minor, patch)));

    [TestCase("v0.0.0")]
    [TestCase("0.0.0")]
    [TestCase("v0.1")]
    [TestCase("v0.1.0.0")]
    [TestCase("vv0.1.0")]
    [TestCase("V0.1.0")]
    [TestCase("v0.1.65536")]
    [TestCase("v0.1.-1")]
    [TestCase("v0. 1.0")]
    [TestCase("v0.1.x")]
    [TestCase("")]
    [TestCase("v")]
    public void Parse_Malformed_InvalidContract(string text)
    {
        var e = Assert.Throws<RunnerLoadException>(() => ContractVersion.Parse(text));
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract"));
    }

    [TestCase(0L, "v0.1.0")]
    [TestCase(1722502799L, "v0.1.0")]
    [TestCase(1722502800L, "v0.1.0")]
    [TestCase(DefaultDatetime, "v0.1.0")]
    [TestCase(1751360399L, "v0.1.0")]
    [TestCase(1751360400L, "v0.1.3")]
    [TestCase(1752148618L, "v0.1.3")]
    [TestCase(1752148619L, "v0.1.10")]
    [TestCase(Year2026, "v0.1.10")]
    public void ReferenceMaxAllowed_TableRows_SpecValues(long time, string max) =>
        Assert.That(VersionGate.ReferenceMaxAllowed(time), Is.EqualTo(ContractVersion.Parse(max)));

    [Test]
    public void MaxAllowed_FromLastRow_WholeV02LineByDeviation()
    {
        Assert.That(VersionGate.MaxAllowed(1752148618), Is.EqualTo(new AbiVersionNumber(0, 1, 3)));
        Assert.That(VersionGate.MaxAllowed(1752148619), Is.EqualTo(new AbiVersionNumber(0, 2, 65535)));
    }

    [TestCase("v0.1.0", DefaultDatetime)]
    [TestCase("v0.1.3", 1751360400L)]
    [TestCase("v0.1.10", 1752148619L)]
    [TestCase("v0.2.5", Year2026)]
    [TestCase("v0.2.16", Year2026)]
    [TestCase("v0.2.17", 1752148619L)]
    public void Check_AtOrBelowMax_Accepted(string version, long time) =>
        Assert.DoesNotThrow(() => VersionGate.Check(ContractVersion.Parse(version), time));

    [TestCase("v0.1.1", DefaultDatetime)]
    [TestCase("v0.1.5", 1751360400L)]
    [TestCase("v0.1.10", 1752148618L)]
    [TestCase("v0.2.16", DefaultDatetime)]
    [TestCase("v0.3.0", Year2026)]
    [TestCase("v1.0.0", Year2026)]
    public void Check_AboveMax_VersionTooBig(string version, long time)
    {
        var e = Assert.Throws<RunnerLoadException>(() => VersionGate.Check(ContractVersion.Parse(version), time));
        Assert.That(e!.VmError, Is.EqualTo("version_too_big"));
    }

    [Test]
    public void ParseAndCheck_NoVersionMember_DefaultV010()
    {
        var zip = ContractArchive.FromCode(TestZip.Of(("runner.json", "{}")));
        Assert.That(VersionGate.ParseAndCheck(zip, DefaultDatetime), Is.EqualTo(new AbiVersionNumber(0, 1, 0)));
    }

    [Test]
    public void ParseAndCheck_TextHeaderV0216In2026_Accepted()
    {
        var archive = ContractArchive.FromCode("# v0.2.16\n# { \"Depends\": \"py-genlayer:1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6\" }\n"u8.ToArray());
        Assert.That(VersionGate.ParseAndCheck(archive, Year2026), Is.EqualTo(new AbiVersionNumber(0, 2, 16)));
    }
}
