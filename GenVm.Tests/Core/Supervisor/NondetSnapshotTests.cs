using System.Text.RegularExpressions;
using GenVm.Core.Pool;
using GenVm.Host.Verbs;
using GenVm.Tests.Examples;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// Non-det VMs started from snapshots (docs/decisions.md "Non-det snapshots"): nondet blocks of corpus contracts give
/// the same output and state on a pool that boots every VM and on one that restores them; the non-det str-hash secret
/// is shared by the restored VMs of one process, drawn afresh by another process (another pool over the same snapshot
/// folder), never stored on disk, and per VM when <see cref="ExecutionPoolOptions.NondetSnapshots"/> is off; the det
/// secret stays the fixed MT19937 one; <c>random</c> imported in a block is seeded per execution either way.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class NondetSnapshotTests
{
    // Leader runs record the leader results in the state file; validator runs replay them.
    private static readonly (string Contract, string[][] Calls)[] Scenarios =
    [
        (Path.Combine(RepositoryRoot.Path, "examples", "nondet_sum.py"), [
            ["--deploy"], ["--method", "strict", "--args", "[10]"], ["--method", "strict", "--args", "[10]", "--validator"],
            ["--method", "checked", "--args", "[7]"], ["--method", "checked", "--args", "[7]", "--validator"],
            ["--method", "disagree", "--args", "[3]"], ["--method", "disagree", "--args", "[3]", "--validator"],
            ["--method", "caught"], ["--method", "caught", "--validator"]]),
        (CorpusExec.Contract("nondet_validate.py"), [
            ["--deploy"], ["--method", "agree"], ["--method", "agree", "--validator"], ["--method", "disagree"],
            ["--method", "disagree", "--validator"], ["--method", "leader_crash"], ["--method", "leader_crash", "--validator"],
            ["--method", "trivial"], ["--method", "trivial", "--validator"]]),
    ];

    [Test]
    public async Task Exec_NondetBlocks_RestoredVmsPrintAndStoreWhatBootedVmsDo()
    {
        using var booted = Pool(snapshots: false);
        using var restored = Pool(snapshots: true);
        foreach (var (contract, calls) in Scenarios)
        {
            var (bootOut, bootState) = await RunAsync(booted, contract, calls);
            var (restoreOut, restoreState) = await RunAsync(restored, contract, calls);
            Assert.That(restoreOut, Is.EqualTo(bootOut), contract);
            Assert.That(restoreState, Is.EqualTo(bootState), contract);
            Assert.That(bootOut, Does.Contain("nondet disagreement: 0"), "the validator runs ran");
        }

        var factory = restored.Snapshots!;
        Assert.That(factory.Refusals, Is.Empty);
        Assert.That(factory.NondetBoots, Is.EqualTo(1), "the first non-det VM boots and is captured");
        Assert.That(factory.NondetRestores, Is.GreaterThanOrEqualTo(10));
    }

    [Test]
    public async Task Exec_NondetSecret_SharedInOneProcessFreshInAnotherNeverOnDisk()
    {
        var folder = Directory.CreateTempSubdirectory("genvm-nondet-snapshots-");
        try
        {
            // Two pools over one snapshot folder: what two processes of one machine share.
            using var first = Pool(snapshots: true, folder.FullName);
            var a = await SecretsAsync(first, 2);
            var filesAfterFirst = Directory.GetFiles(folder.FullName, "*", SearchOption.AllDirectories).Length;
            using var second = Pool(snapshots: true, folder.FullName);
            var b = await SecretsAsync(second, 1);

            Assert.That(first.Snapshots!.NondetRestores, Is.EqualTo(1), "the second non-det VM of the process is restored");
            Assert.That(a[1].NondetHashes, Is.EqualTo(a[0].NondetHashes), "one secret per process");
            Assert.That(a[1].Random, Is.Not.EqualTo(a[0].Random), "random imported in the block is seeded per execution");
            Assert.That(b[0].NondetHashes, Is.Not.EqualTo(a[0].NondetHashes), "another process draws its own secret");
            Assert.That(second.Snapshots!.NondetBoots, Is.EqualTo(1), "nothing non-det was loaded from the folder");
            Assert.That(second.Snapshots.Boots, Is.EqualTo(1), "the det VM was restored from the folder");
            Assert.That(Directory.GetFiles(folder.FullName, "*", SearchOption.AllDirectories), Has.Length.EqualTo(filesAfterFirst), "no non-det file written");

            // Det: the fixed MT19937 secret, whatever the path.
            Assert.That(new[] { a[0].DetHashes, a[1].DetHashes, b[0].DetHashes }, Is.All.EqualTo(a[0].DetHashes));
            Assert.That(a[0].DetHashes, Is.Not.EqualTo(a[0].NondetHashes));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task Exec_NondetSnapshotsOff_EveryNondetVmDrawsItsOwnSecret()
    {
        using var pool = new ExecutionPool(new ExecutionPoolOptions
        {
            CompileCacheDirectory = CompileCacheDirectory.Resolve(),
            SnapshotAfterBoots = 0,
            NondetSnapshots = false,
        });
        var runs = await SecretsAsync(pool, 2);

        Assert.That(runs[1].NondetHashes, Is.Not.EqualTo(runs[0].NondetHashes));
        Assert.That(runs[1].DetHashes, Is.EqualTo(runs[0].DetHashes));
        Assert.That(pool.Snapshots!.NondetRestores, Is.Zero);
        Assert.That(pool.Snapshots.NondetBoots, Is.EqualTo(2));
        Assert.That(pool.Snapshots.Restores, Is.EqualTo(2), "det VMs (deploy, two calls) are still restored");
        Assert.That(pool.Snapshots.Refusals, Is.EqualTo(new[] { "non-det snapshots are off" }));
    }

    private static async Task<List<(string DetHashes, string NondetHashes, string Random)>> SecretsAsync(ExecutionPool pool, int calls)
    {
        await using var exec = CorpusExec.CreateOrIgnore(services => services.AddSingleton(pool));
        await exec.RunAsync("nondet_secret.py", "--deploy");
        var results = new List<(string, string, string)>();
        for (var i = 0; i < calls; i++)
        {
            var line = await exec.ResultAsync("nondet_secret.py", "--method", "secrets");
            var match = Regex.Match(line, @"\[(-?\d+ -?\d+ -?\d+) \| (-?\d+ -?\d+ -?\d+) / (\d+)\]");
            Assert.That(match.Success, Is.True, line);
            results.Add((match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value));
        }

        return results;
    }

    private static ExecutionPool Pool(bool snapshots, string? folder = null) => SnapshotPools.Pool(snapshots, folder);

    private static Task<(string Output, string State)> RunAsync(ExecutionPool pool, string contractPath, string[][] calls) =>
        SnapshotPools.RunAsync(pool, contractPath, calls);
}
