using GenVm.Bench.Engine;

namespace GenVm.Bench.PythonStart;

/// <summary>The WASI CPython build (<c>runners/build-python.sh</c>): python.wasm and its standard library.</summary>
internal sealed class PythonRunner
{
    /// <summary>The program every run executes.</summary>
    public const string Program = "print(1+1)";

    private PythonRunner(string directory)
    {
        Wasm = Path.Combine(directory, "python.wasm");
        StandardLibrary = Path.Combine(directory, "lib", "python3.13");
        var reactor = Path.Combine(directory, "python-reactor.wasm");
        Reactor = File.Exists(reactor) ? reactor : null;
    }

    /// <summary>python.wasm.</summary>
    public string Wasm { get; }

    /// <summary>The same interpreter linked as a reactor (genvm_init / genvm_run) for snapshots; null in older builds.</summary>
    public string? Reactor { get; }

    /// <summary>The host directory mounted as <c>/py/std</c>.</summary>
    public string StandardLibrary { get; }

    /// <summary>The guest's arguments after argv[0].</summary>
    public static IReadOnlyList<string> GuestArguments { get; } = ["-B", "-c", Program];

    /// <summary>The guest's environment.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> GuestEnvironment { get; } =
    [
        new("PYTHONHOME", "/py/std"),
        new("PYTHONPATH", "/py/std"),
    ];

    /// <summary><c>GENVM_PYTHON_RUNNER_DIR</c>, else the newest <c>~/.cache/genvm/runners/cpython-*</c>; null when absent.</summary>
    public static PythonRunner? Find()
    {
        var configured = Environment.GetEnvironmentVariable("GENVM_PYTHON_RUNNER_DIR");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(configured))
        {
            candidates.Add(configured);
        }

        var runners = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "genvm", "runners");
        if (Directory.Exists(runners))
        {
            // Skip build-python.sh's work-in-progress folders (cpython-<hash>.tmp).
            candidates.AddRange(Directory.GetDirectories(runners, "cpython-*")
                .Where(d => !Path.GetFileName(d).Contains('.', StringComparison.Ordinal))
                .OrderByDescending(Directory.GetLastWriteTimeUtc));
        }

        return candidates
            .Where(d => File.Exists(Path.Combine(d, "python.wasm")) && Directory.Exists(Path.Combine(d, "lib", "python3.13")))
            .Select(d => new PythonRunner(d))
            .FirstOrDefault();
    }

    /// <summary>Arguments of <c>genvm</c> that run the program.</summary>
    public IEnumerable<string> GenVmArguments() =>
        ["wasm", "run", "--dir", $"{StandardLibrary}::/py/std", .. GuestEnvironment.SelectMany(e => new[] { "--env", $"{e.Key}={e.Value}" }), Wasm, .. GuestArguments];

    /// <summary>
    /// Arguments of <c>genvm</c> that run the program on python-reactor.wasm from a snapshot file of the started
    /// interpreter (<c>wasm run --snapshot-init genvm_init --snapshot-run genvm_run_unfinalized</c>), with
    /// <see cref="SnapshotPython.Environment"/> (a fixed hash seed: the start-up may not draw randomness).
    /// </summary>
    public IEnumerable<string> GenVmSnapshotArguments() =>
        ["wasm", "run", "--snapshot-init", "genvm_init", "--snapshot-run", "genvm_run_unfinalized", "--dir", $"{StandardLibrary}::/py/std",
            .. SnapshotPython.Environment.SelectMany(e => new[] { "--env", $"{e.Key}={e.Value}" }), Reactor!, .. GuestArguments];

    /// <summary>Arguments of node (runners/run-node.mjs, default tiers) that run the program.</summary>
    public IEnumerable<string> NodeArguments() =>
        [Path.Combine(RepoLocator.Root, "runners", "run-node.mjs"), "--dir", $"/py/std={StandardLibrary}", .. GuestEnvironment.SelectMany(e => new[] { "--env", $"{e.Key}={e.Value}" }), Wasm, .. GuestArguments];
}
