using System.Text;
using GenVm.Host.Verbs;
using GenVm.Tests.Core.Runners;
using NUnit.Framework;

namespace GenVm.Tests.Host;

[TestFixture]
public sealed class ParseVersionPatternVerbTests
{
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(byte[] code)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var verb = new ParseVersionPatternVerb(() => new MemoryStream(code), () => stdout, () => stderr);
        var exit = await verb.RunAsync([], CancellationToken.None);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [TestCase("# v0.1.5\n# { \"Depends\": \"a:b\" }\n", " v0.1.5", TestName = "ParseVersionPattern_TextWithVersionLine_PrintsTheUntrimmedRemainder")]
    [TestCase("# { \"Depends\": \"a:b\" }\n", "v0.1.0", TestName = "ParseVersionPattern_TextWithoutVersionLine_PrintsV010")]
    public async Task ParseVersionPattern_Text_PrintsVersion(string code, string expected)
    {
        var run = await RunAsync(Encoding.UTF8.GetBytes(code));

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        Assert.That(run.Stdout, Is.EqualTo(expected));
    }

    [Test]
    public async Task ParseVersionPattern_ZipWithoutVersion_PrintsWildcard()
    {
        var run = await RunAsync(TestZip.Of(("runner.json", "{\"StartWasm\": \"x\"}")));

        Assert.That(run.Stdout, Is.EqualTo("v*.*.*"));
    }

    [Test]
    public async Task ParseVersionPattern_NoHeader_FailsWithOneLine()
    {
        var run = await RunAsync("print(1)\n"u8.ToArray());

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Stderr, Does.StartWith("genvm parse-version-pattern: invalid_contract absent_runner_comment"));
    }
}
