using System.Security.Cryptography;
using System.Text;
using GenVm.Host.Manager;

namespace GenVm.Tests.Host.Manager;

[TestFixture]
public sealed class ContractEndpointsTests
{
    // Major 1 (v1.0.0) becomes available in 2030; it is not the built-in executor, so its probe runs a process.
    private const string TwoMajors = """
        executor_versions:
          "v0.2.7": { available_after: "2024-09-01T00:00:00Z" }
          "v1.0.0": { available_after: "2030-01-01T00:00:00Z" }
        """;

    private static readonly byte[] TextContract = Encoding.UTF8.GetBytes("# v0.1.10\n# { \"Depends\": \"py-genlayer:test\" }\nprint(1)\n");

    [TestCase("# v0.1.10\n# {}\n", 0u)]
    [TestCase("# {}\n", 0u)] // no version line: v0.1.0
    [TestCase("# v7.0.0\n# {}\n", 0u)] // capped at the latest major available
    [TestCase("not a contract", 0u)] // probe fails: the possible major
    public async Task DetectVersion_BuiltInExecutor_MajorOfThePattern(string code, uint expected)
    {
        await using var server = await ManagerServer.StartAsync(manifest: TwoMajors);

        var (status, body) = await server.PostCodeAsync("/contract/detect-version", Encoding.UTF8.GetBytes(code), "2025-06-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo($$"""{"specified_major":{{expected}}}"""));
    }

    [TestCase("echo v0.1.5", 0u)]
    [TestCase("printf 'v1.3.0\\n'", 1u)]
    [TestCase("echo 'v*.*.*'", 1u)] // unparsable: the possible major
    [TestCase("echo v9.0.0", 1u)]
    public async Task DetectVersion_OtherExecutor_RunsItsParseVersionPattern(string print, uint expected)
    {
        await using var server = await ManagerServer.StartAsync(manifest: TwoMajors);
        server.WriteExecutor("v1.0.0", $"[ \"$1\" = parse-version-pattern ] || exit 3\ncat > /dev/null\n{print}\n");

        var (status, body) = await server.PostCodeAsync("/contract/detect-version", TextContract, "2031-01-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo($$"""{"specified_major":{{expected}}}"""));
    }

    [Test]
    public async Task DetectVersion_ExecutorMissing_500RunningGenvmCommand()
    {
        await using var server = await ManagerServer.StartAsync(manifest: TwoMajors);

        var (status, body) = await server.PostCodeAsync("/contract/detect-version", TextContract, "2031-01-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!["error"]!.GetValue<string>(), Does.StartWith("running genvm command " + Path.Combine(server.Root.FullName, "executor", "v1.0.0", "bin", "genvm")));
    }

    [Test]
    public async Task DetectVersion_BeforeEveryVersion_500NoExecutorVersionAvailable()
    {
        await using var server = await ManagerServer.StartAsync(manifest: TwoMajors);

        var (status, body) = await server.PostCodeAsync("/contract/detect-version", TextContract, "2020-01-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"no_executor_version_available"}"""));
    }

    [TestCase(null, "missing request header \"deployment-timestamp\"")]
    [TestCase("yesterday", "invalid request header \"deployment-timestamp\": expected an RFC 3339 timestamp")]
    public async Task DetectVersion_BadTimestampHeader_400(string? header, string message)
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostCodeAsync("/contract/detect-version", TextContract, header);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!.ToJsonString(), Is.EqualTo(new System.Text.Json.Nodes.JsonObject { ["error"] = message }.ToJsonString()));
    }

    [Test]
    public async Task PreDeployWrites_CodeSlotLengthThenCode()
    {
        await using var server = await ManagerServer.StartAsync();

        var (status, body) = await server.PostCodeAsync("/contract/pre-deploy-writes", TextContract, "2025-01-01T00:00:00Z");

        // manager.md §4: code_slot = SHA3-256(32 zero octets ‖ LE u32 1); keys are code_slot ‖ LE u32 offset.
        var slot = Convert.FromHexString("e1ae23412792df6b6a98fb7c9839701fb8b02b6fc7ed022810f78346494685e7");
        if (SHA3_256.IsSupported)
        {
            Assert.That(SHA3_256.HashData([.. new byte[32], 1, 0, 0, 0]), Is.EqualTo(slot));
        }

        var expected = new System.Text.Json.Nodes.JsonObject
        {
            ["writes"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonArray(Convert.ToBase64String([.. slot, 0, 0, 0, 0]), Convert.ToBase64String(BitConverter.GetBytes(TextContract.Length))),
                new System.Text.Json.Nodes.JsonArray(Convert.ToBase64String([.. slot, 4, 0, 0, 0]), Convert.ToBase64String(TextContract))),
        };
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body!.ToJsonString(), Is.EqualTo(expected.ToJsonString()));
    }

    [Test]
    public async Task PreDeployWrites_MajorOne_500OnlyMajorZero()
    {
        await using var server = await ManagerServer.StartAsync(manifest: TwoMajors);
        server.WriteExecutor("v1.0.0", "cat > /dev/null\necho v1.0.0\n");

        var (status, body) = await server.PostCodeAsync("/contract/pre-deploy-writes", TextContract, "2031-01-01T00:00:00Z");

        Assert.That(status, Is.EqualTo(500));
        Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"only major version 0 is supported for now"}"""));
    }

    [TestCase("# v0.2.0\n# {}\n", " v0.2.0")]
    [TestCase("// v1.2.3 \n// {}\n", " v1.2.3 ")]
    [TestCase("# {}\n", "v0.1.0")]
    public void VersionPattern_TextContract_AsParseVersionPatternPrints(string code, string expected)
    {
        Assert.That(VersionDetector.VersionPattern(Encoding.UTF8.GetBytes(code)), Is.EqualTo(expected));
    }
}
