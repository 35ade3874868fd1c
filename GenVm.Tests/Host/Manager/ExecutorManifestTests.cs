using GenVm.Host.Manager;

namespace GenVm.Tests.Host.Manager;

[TestFixture]
public sealed class ExecutorManifestTests
{
    private const string Table = """
        executor_versions:
          "v0.1.0": { available_after: "2024-01-01T00:00:00Z" }
          "v0.1.1": { available_after: "2024-06-01T00:00:00Z" }
          "v0.2.0": { available_after: "2025-01-01T00:00:00Z" }
          "v0.2.1": { available_after: "2030-01-01T00:00:00Z" }
          "v0.2.2": { available_after: "2031-01-01T00:00:00Z" }
          "0.3.0":  { available_after: "2026-01-01T00:00:00Z" }
          "v1.0.0": { available_after: "2027-01-01T00:00:00Z" }
          "v1.0.2": { available_after: "2028-01-01T00:00:00Z" }
        runners_download_urls: ["ignored"]
        """;

    // manager.md §5.2: the largest version available at the timestamp, then patch+1 while it exists, whatever its time.
    [TestCase(0u, "2023-12-31T23:59:59Z", null)]
    [TestCase(0u, "2024-01-01T00:00:00Z", "v0.1.1")] // v0.1.1 supersedes v0.1.0 before its own available_after
    [TestCase(0u, "2024-07-01T00:00:00Z", "v0.1.1")]
    [TestCase(0u, "2025-01-01T00:00:00Z", "v0.2.2")] // v0.2.0 → v0.2.1 → v0.2.2 (both in the future)
    [TestCase(0u, "2026-06-01T00:00:00+02:00", "v0.3.0")] // minors are gated by time
    [TestCase(1u, "2026-12-31T23:59:59Z", null)]
    [TestCase(1u, "2027-01-01T00:00:00Z", "v1.0.0")] // v1.0.1 is missing: no jump to v1.0.2
    [TestCase(2u, "2099-01-01T00:00:00Z", null)]
    public void GetVersion_Table_FollowsMajorTimestampAndPatchSupersede(uint major, string timestamp, string? expected)
    {
        var manifest = ExecutorManifest.ParseYaml(Table);

        var version = manifest.GetVersion(major, DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(version?.ToString(), Is.EqualTo(expected));
    }

    [TestCase("2023-01-01T00:00:00Z", null)]
    [TestCase("2025-01-01T00:00:00Z", 0u)]
    [TestCase("2027-01-01T00:00:00Z", 1u)]
    public void GetLatestMajor_Table_LargestAvailableMajor(string timestamp, uint? expected)
    {
        var manifest = ExecutorManifest.ParseYaml(Table);

        Assert.That(manifest.GetLatestMajor(DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(expected));
    }

    [Test]
    public void ParseJson_SameContentAsYaml_SameVersions()
    {
        const string json = """{"executor_versions":{"v0.2.7":{"available_after":"2024-09-01T00:00:00Z"},"0.2.6":{"available_after":"2024-09-01T00:00:00Z"}},"runners_download_urls":[]}""";

        var manifest = ExecutorManifest.ParseJson(json);

        Assert.That(manifest.Versions.Keys.Select(v => v.ToString()), Is.EqualTo(new[] { "v0.2.6", "v0.2.7" }));
        Assert.That(ExecutorManifest.ParseYaml(json).Versions, Is.EqualTo(manifest.Versions));
    }

    [TestCase("executor_versions:\n  \"v0.2\": { available_after: \"2024-09-01T00:00:00Z\" }\n", "invalid executor version `v0.2`")]
    [TestCase("executor_versions:\n  \"v0.2.1\": { }\n", "missing field `available_after` for `v0.2.1`")]
    [TestCase("executor_versions:\n  \"v0.2.1\": { available_after: \"yesterday\" }\n", "invalid available_after `yesterday` for `v0.2.1`")]
    [TestCase("runners_download_urls: []\n", "missing field `executor_versions`")]
    public void ParseYaml_Invalid_Throws(string yaml, string message)
    {
        Assert.That(() => ExecutorManifest.ParseYaml(yaml), Throws.InstanceOf<FormatException>().With.Message.EqualTo(message));
    }

    [Test]
    public void Load_MissingFile_ReadError()
    {
        var path = Path.Combine(Path.GetTempPath(), "genvm-no-such-manifest-" + Guid.NewGuid().ToString("N") + ".yaml");

        Assert.That(() => ExecutorManifest.Load(path), Throws.InstanceOf<ManagerException>().With.Message.StartsWith("Failed to read manifest file: " + path + ": "));
    }

    [Test]
    public void Load_MalformedYaml_ParseError()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "executor_versions: [unclosed");
            Assert.That(() => ExecutorManifest.Load(path), Throws.InstanceOf<ManagerException>().With.Message.StartsWith("Failed to parse manifest YAML: "));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("v0.2.7", true, "v0.2.7")]
    [TestCase("0.2.7", true, "v0.2.7")]
    [TestCase("v0.2", false, null)]
    [TestCase("v0.2.7.1", false, null)]
    [TestCase("vv0.2.7", false, null)]
    [TestCase("v0.-2.7", false, null)]
    [TestCase("", false, null)]
    public void TryParse_Versions(string text, bool ok, string? canonical)
    {
        Assert.That(ExecutorVersion.TryParse(text, out var version), Is.EqualTo(ok));
        if (ok)
        {
            Assert.That(version.ToString(), Is.EqualTo(canonical));
        }
    }
}
