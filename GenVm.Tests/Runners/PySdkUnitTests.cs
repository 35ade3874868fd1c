namespace GenVm.Tests.Runners;

/// <summary>
/// The Python SDK's own unit tests (<c>runners/py-genlayer-std/tests/test_*.py</c>: calldata, storage layouts, TreeMap,
/// dispatch, schema), run natively by the system <c>python3</c>; one NUnit case per Python test module, so a failing
/// vector group is visible in the TRX results.
/// </summary>
[TestFixture]
public sealed class PySdkUnitTests
{
    private static IEnumerable<string> TestModules() =>
        Directory.EnumerateFiles(Path.Combine(PythonProcess.SdkDirectory, "tests"), "test_*.py")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    [Test]
    public void TestModules_Exist_AtLeastCalldataAndStorage()
    {
        Assert.That(TestModules(), Is.SupersetOf(new[] { "test_calldata", "test_storage" }));
    }

    [TestCaseSource(nameof(TestModules))]
    public async Task Unittest_PythonModule_Passes(string module)
    {
        var (code, stdout, stderr) = await PythonProcess.RunAsync(
            ["-m", "unittest", "-v", $"tests.{module}"], TimeSpan.FromMinutes(3));

        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        // unittest reports on stderr; an empty module would also exit 0.
        Assert.That(stderr, Does.Match(@"Ran [1-9]\d* tests?"), stderr);
    }
}
