namespace GenVm.Tests.Runners;

/// <summary>
/// The comparison and record steps of <c>runners/check-reproducible.sh</c> that CI runs after a cold CPython build
/// (<c>scripts/ci-runners</c>; issue 6: two builds of the same inputs give the same runner ids, runners.md §5), given
/// hand-written id sets instead of builds: <c>--compare</c> fails on any differing or missing runner and lists both
/// id sets; <c>--show-record</c> prints the one line CI shows on a warm cache.
/// </summary>
[TestFixture]
public sealed class CheckReproducibleCompareTests
{
    private const string CpythonId = "0vfv76q5c68p7rns01z6vsk8v3hf1amja0xxfa4bl58gfwyjacxp";
    private const string SdkId = "0r2fv2bnq87hb3wk1czi7y94c8xxgs19fija1nd5a78vy7nh1p3q";
    private const string OtherSdkId = "1r2fv2bnq87hb3wk1czi7y94c8xxgs19fija1nd5a78vy7nh1p3q";

    private string _directory = "";

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("genvm-repro-test-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Compare_DifferentIds_ExitsOneAndListsBothIdSets()
    {
        var first = WriteIds("first", ("cpython", CpythonId), ("py-genlayer", SdkId));
        var second = WriteIds("second", ("cpython", CpythonId), ("py-genlayer", OtherSdkId));

        var result = CheckReproducibleScript.Run(null, "--compare", first, second);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stdout + result.Stderr);
        Assert.That(result.Lines, Does.Contain($"cpython {CpythonId}"));
        Assert.That(result.Lines, Does.Contain($"py-genlayer DIFFERS: {SdkId} vs {OtherSdkId}"));
        Assert.That(result.Stdout, Does.Contain($"NOT reproducible: the runner ids of {first} and {second} differ"));
        // Both complete id sets follow the verdict, each under its label.
        var verdict = Array.FindIndex(result.Lines, l => l.StartsWith("NOT reproducible", StringComparison.Ordinal));
        Assert.That(result.Lines[(verdict + 1)..], Is.EqualTo(new[]
        {
            $"  {first}:", $"    cpython {CpythonId}", $"    py-genlayer {SdkId}",
            $"  {second}:", $"    cpython {CpythonId}", $"    py-genlayer {OtherSdkId}",
        }));
    }

    [Test]
    public void Compare_RunnerOnlyInOneSet_ExitsOneAndNamesIt()
    {
        var first = WriteIds("first", ("cpython", CpythonId));
        var second = WriteIds("second", ("cpython", CpythonId), ("py-genlayer", SdkId));

        var result = CheckReproducibleScript.Run(null, "--compare", first, second);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stdout + result.Stderr);
        Assert.That(result.Lines, Does.Contain($"py-genlayer DIFFERS: (missing) vs {SdkId}"));
    }

    [Test]
    public void Compare_SameIdsFromManifestAndIdsFile_ExitsZero()
    {
        // A runners directory's manifest and a "name id" file with the same pairs in another order.
        var runners = Directory.CreateDirectory(Path.Combine(_directory, "runners")).FullName;
        File.WriteAllText(Path.Combine(runners, "runners-manifest.json"),
            $$"""{ "$schema_version": 1, "runners": { "py-genlayer": "{{SdkId}}", "cpython": "{{CpythonId}}" }, "tags": {} }""");
        var ids = WriteIds("ids", ("cpython", CpythonId), ("py-genlayer", SdkId));

        var result = CheckReproducibleScript.Run(null, "--compare", runners, ids);

        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
        Assert.That(result.Lines, Is.EqualTo(new[] { $"cpython {CpythonId}", $"py-genlayer {SdkId}", "reproducible: 2 runners, same ids" }));
    }

    [Test]
    public void Compare_EmptySet_ExitsOne()
    {
        var first = WriteIds("first", ("cpython", CpythonId));
        var empty = WriteIds("empty");

        var result = CheckReproducibleScript.Run(null, "--compare", first, empty);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stdout + result.Stderr);
        Assert.That(result.Stdout, Does.Contain($"NOT reproducible: no runner ids in {empty}"));
    }

    [Test]
    public void ShowRecord_RecordAndChangedSdk_PrintsDateAndNamesChangedRunners()
    {
        var build = Directory.CreateDirectory(Path.Combine(_directory, "cpython-0123abcd")).FullName;
        File.WriteAllLines(Path.Combine(build, "reproducible.txt"), new[]
        {
            "# runners/check-reproducible.sh --against: a second build on a clean cache gave the same runner ids",
            "key: 0123abcd",
            "verified: 2026-11-21T20:00:00Z",
            $"runner: cpython {CpythonId}",
            $"runner: py-genlayer {SdkId}",
        });
        var now = WriteIds("now", ("cpython", CpythonId), ("py-genlayer", OtherSdkId));

        var result = CheckReproducibleScript.Run(null, "--show-record", build, now);

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Lines, Is.EqualTo(new[]
        {
            "[repro] cpython-0123abcd: runner ids verified reproducible on 2026-11-21T20:00:00Z (two builds on clean caches, "
            + "2 runners); packed now: 1 of 2 ids as verified, changed since: py-genlayer (packing inputs, checked by the pack-only test)",
        }));
    }

    [Test]
    public void ShowRecord_SameIdsAsRecorded_SaysSo()
    {
        var build = Directory.CreateDirectory(Path.Combine(_directory, "cpython-0123abcd")).FullName;
        File.WriteAllLines(Path.Combine(build, "reproducible.txt"), new[] { "key: 0123abcd", "verified: 2026-11-21T20:00:00Z", $"runner: cpython {CpythonId}" });
        var now = WriteIds("now", ("cpython", CpythonId));

        var result = CheckReproducibleScript.Run(null, "--show-record", build, now);

        Assert.That(result.Stdout, Does.EndWith("(two builds on clean caches, 1 runners); the ids packed now are the same\n"));
    }

    [Test]
    public void ShowRecord_NoRecord_SaysNotVerified()
    {
        var build = Directory.CreateDirectory(Path.Combine(_directory, "cpython-0123abcd")).FullName;

        var result = CheckReproducibleScript.Run(null, "--show-record", build);

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.StartWith("[repro] cpython-0123abcd: runner ids not verified yet"));
    }

    private string WriteIds(string name, params (string Runner, string Id)[] ids)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllLines(path, ids.Select(i => $"{i.Runner} {i.Id}"));
        return path;
    }
}
