using System.Collections.Concurrent;
using GenVm.Tests.Wasm.Spec;

namespace GenVm.Tests.Wasm;

/// <summary>
/// The WebAssembly core spec test suite (2.0 without SIMD, plus tail calls): one test per <c>.wast</c> script,
/// converted with wast2json at test time and run command by command against the public engine API.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class SpecTests
{
    private static readonly ConcurrentDictionary<string, SpecFileResult> Results = new(StringComparer.Ordinal);

    /// <summary>One case per script; scripts listed in <see cref="SpecSkipList.Files"/> are explicit, with the reason.</summary>
    public static IEnumerable<TestCaseData> Scripts()
    {
        foreach (var file in SpecDiscovery.Files())
        {
            var data = new TestCaseData(file);
            if (SpecSkipList.Files.TryGetValue(file, out var reason))
            {
                data.Explicit(reason);
            }

            yield return data;
        }
    }

    [Test]
    public void Discovery_TestSuiteFolder_FindsScripts()
    {
        var files = SpecDiscovery.Files();
        Assert.That(files, Has.Count.GreaterThanOrEqualTo(90), $"spec scripts under {SpecPaths.TestSuiteDirectory}");
        Assert.That(files, Does.Contain("tail-call/return_call.wast"));
        Assert.That(files, Has.None.StartsWith("simd_"));
    }

    [TestCaseSource(nameof(Scripts))]
    public void RunScript_WastFile_AllCommandsPass(string file)
    {
        var result = SpecScriptRunner.RunFile(file);
        Results[file] = result;
        TestContext.Out.WriteLine(result.Summary);
        Assert.That(result.Failures, Is.Empty, result.Describe());
        Assert.That(result.Passed + result.TextOnly, Is.GreaterThan(0), "a script with no command run");
    }

    /// <summary>Runs every script, the explicit ones too, and prints the per-file and total counts.</summary>
    [Test]
    [Explicit("maintenance: prints the whole suite's table")]
    public void RunAll_EveryScript_PrintsTotals()
    {
        var results = SpecDiscovery.Files().AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(f => SpecScriptRunner.RunFile(f)).ToList();
        foreach (var r in results)
        {
            TestContext.Out.WriteLine(r.Summary);
        }

        TestContext.Out.WriteLine(Total(results));
        foreach (var r in results.Where(r => r.Failed > 0))
        {
            TestContext.Out.WriteLine(r.Describe(5));
        }

        foreach (var difference in results.SelectMany(r => r.MessageDifferences))
        {
            TestContext.Out.WriteLine("message difference: " + difference);
        }

        Assert.That(results, Is.Not.Empty);
    }

    [OneTimeTearDown]
    public void PrintTotals()
    {
        if (!Results.IsEmpty)
        {
            TestContext.Progress.WriteLine("spec suite: " + Total(Results.Values.ToList()));
        }
    }

    private static string Total(IReadOnlyCollection<SpecFileResult> results) =>
        $"TOTAL {results.Count} scripts ({results.Count(r => r.Failed == 0)} fully passing): {results.Sum(r => r.Passed)} passed, " +
        $"{results.Sum(r => r.Failed)} failed, {results.Sum(r => r.Skipped)} skipped, {results.Sum(r => r.TextOnly)} text-only (not applicable), " +
        $"{results.Sum(r => r.MessageMismatches)} message differences";
}
