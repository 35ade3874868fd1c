using System.Text;
using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

/// <summary>A runners directory in a temporary folder: tars at their spec paths (runners.md §5) and a manifest.</summary>
internal sealed class TestRunnerStore : IDisposable
{
    public TestRunnerStore()
    {
        Directory = Path.Combine(Path.GetTempPath(), "genvm-runners-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public Dictionary<string, string> Runners { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Aliases { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IReadOnlyDictionary<string, string>> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>Writes a tar for runner <paramref name="name"/>; returns its <c>id:hash</c>.</summary>
    public string Add(string name, byte[] tar)
    {
        var id = new RunnerId(name, Nix32.RunnerHash(tar));
        var path = Path.Combine(Directory, id.RelativeTarPath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, tar);
        Runners[name] = id.Hash;
        return id.ToString();
    }

    /// <summary>Adds a runner made of text members plus a runner.json.</summary>
    public string Add(string name, string runnerJson, params (string Name, string Text)[] members) =>
        Add(name, TestTar.Of([.. members, ("runner.json", runnerJson)]));

    public RunnerManifest Manifest => new()
    {
        Runners = new Dictionary<string, string>(Runners),
        Aliases = new Dictionary<string, string>(Aliases),
        Tags = new Dictionary<string, IReadOnlyDictionary<string, string>>(Tags),
    };

    public RunnerRegistry Registry() => new(Directory, Manifest, new RunnerArchiveCache());

    public RunnerLoader Loader() => new(Registry());

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>A text contract whose header is <paramref name="runnerJson"/>.</summary>
    public static RunnerArchive TextContract(string runnerJson, string version = "") =>
        ContractArchive.FromCode(Encoding.UTF8.GetBytes((version.Length > 0 ? "# " + version + "\n" : string.Empty) + "# " + runnerJson + "\nprint('hi')\n"));
}
