using GenVm.Core.Pool;
using GenVm.Host.Verbs;
using GenVm.Tests.Examples;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// The pools the snapshot tests compare (one that boots every VM, one that restores from snapshots), and a sequence
/// of <c>genvm exec</c> calls on one of them.
/// </summary>
internal static class SnapshotPools
{
    /// <summary>A pool with the shared compile cache; with <paramref name="snapshots"/> it captures at the first boot.</summary>
    public static ExecutionPool Pool(bool snapshots, string? snapshotDirectory = null) => new(new ExecutionPoolOptions
    {
        CompileCacheDirectory = CompileCacheDirectory.Resolve(),
        Snapshots = snapshots,
        SnapshotAfterBoots = 0,
        SnapshotDirectory = snapshotDirectory,
    });

    /// <summary>Runs <paramref name="calls"/> of the contract at <paramref name="contractPath"/> in order; returns their stdout and the final state file.</summary>
    public static async Task<(string Output, string State)> RunAsync(ExecutionPool pool, string contractPath, string[][] calls)
    {
        await using var exec = CorpusExec.CreateOrIgnore(services => services.AddSingleton(pool));
        var output = new System.Text.StringBuilder();
        foreach (var call in calls)
        {
            output.Append(await exec.RunPathAsync(contractPath, call));
        }

        return (output.ToString(), await File.ReadAllTextAsync(exec.StatePath));
    }
}
