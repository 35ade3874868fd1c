using GenVm.Host.Verbs;
using NUnit.Framework;

namespace GenVm.Tests.Host;

[TestFixture]
public sealed class RunArgumentsTests
{
    [Test]
    public void TryParse_AllOptions_Parsed()
    {
        var ok = RunArguments.TryParse(
            ["--host", "unix:///s", "--message={}", "--print=result", "--print", "fingerprint", "--sync", "--debug-mode", "--permissions", "rc", "--cookie", "ab", "--host-data", "{}"],
            out var parsed,
            out var error);

        Assert.That(ok, Is.True, error);
        Assert.That(parsed.Host, Is.EqualTo("unix:///s"));
        Assert.That(parsed.Message, Is.EqualTo("{}"));
        Assert.That(parsed.PrintResult && parsed.PrintFingerprint && parsed.Sync && parsed.DebugMode, Is.True);
        Assert.That(parsed.Permissions, Is.EqualTo("rc"));
        Assert.That(parsed.Cookie, Is.EqualTo("ab"));
    }

    [Test]
    public void TryParse_Defaults_PrintNothingAllPermissions()
    {
        Assert.That(RunArguments.TryParse(["--host", "h:1", "--message", "{}"], out var parsed, out _), Is.True);
        Assert.That(parsed.PrintResult || parsed.PrintFingerprint || parsed.Sync, Is.False);
        Assert.That(parsed.Permissions, Is.EqualTo("rwscn"));
    }

    [TestCase("rwx", TestName = "TryParse_PermissionsUnknownLetter_Fails")]
    [TestCase("rr", TestName = "TryParse_PermissionsRepeatedLetter_Fails")]
    public void TryParse_BadPermissions_Fails(string permissions)
    {
        Assert.That(RunArguments.TryParse(["--host", "h:1", "--message", "{}", "--permissions", permissions], out _, out var error), Is.False);
        Assert.That(error, Does.StartWith("Invalid permissions"));
    }

    [TestCase(new[] { "--message", "{}" }, "--host and --message are required", TestName = "TryParse_NoHost_Fails")]
    [TestCase(new[] { "--host", "h:1", "--message", "{}", "--print=all" }, "--print takes", TestName = "TryParse_BadPrint_Fails")]
    [TestCase(new[] { "--host", "h:1", "--message" }, "needs a value", TestName = "TryParse_MissingValue_Fails")]
    [TestCase(new[] { "--host", "h:1", "--message", "{}", "--frobnicate" }, "unknown option", TestName = "TryParse_UnknownOption_Fails")]
    public void TryParse_BadUsage_Fails(string[] args, string expected)
    {
        Assert.That(RunArguments.TryParse(args, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(expected));
    }
}
