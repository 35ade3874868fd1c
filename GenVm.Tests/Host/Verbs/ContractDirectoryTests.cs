using GenVm.Core.Runners;
using GenVm.Host.Verbs;
using NUnit.Framework;

namespace GenVm.Tests.Host.Verbs;

[TestFixture]
public sealed class ContractDirectoryTests
{
    private string _dir = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "genvm-contract-dir-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_dir, "contract", "sub"));
        File.WriteAllText(Path.Combine(_dir, "runner.json"), "{ \"Depends\": \"py-genlayer-multi:test\" }");
        File.WriteAllText(Path.Combine(_dir, "contract", "__init__.py"), "x = 1\n");
        File.WriteAllText(Path.Combine(_dir, "contract", "sub", "data.txt"), "data");
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Pack_Directory_IsAStoredZipContractWithRelativeNames()
    {
        var code = ContractDirectory.Pack(_dir);

        // runners.md §2 step 1: detected as a zip, every entry stored, data verbatim.
        var archive = ContractArchive.FromCode(code, out var kind);
        Assert.That(kind, Is.EqualTo(ContractArchive.CodeKind.Zip));
        Assert.That(archive.Members.Keys, Is.EqualTo(new[] { "contract/__init__.py", "contract/sub/data.txt", "runner.json" }));
        Assert.That(archive.TryGetMember("contract/sub/data.txt", out var data) && data.Span.SequenceEqual("data"u8), Is.True);
        Assert.That(archive.TotalSize, Is.EqualTo(code.Length));
    }

    [Test]
    public void Pack_SameDirectoryLater_GivesTheSameOctets()
    {
        var first = ContractDirectory.Pack(_dir);
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "runner.json"), DateTime.UtcNow.AddDays(-3));

        Assert.That(ContractDirectory.Pack(_dir), Is.EqualTo(first));
    }
}
