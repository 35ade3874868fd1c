using System.Diagnostics;
using GenVm.Core.Runners;

namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm runners list</c> prints our runners (id, hash, whether the tar is on disk, tags), the alias table and the
/// reference runners we do not ship, from the runners directory's manifest (runners.md §5).
/// <c>genvm runners build</c> runs <c>runners/build-runners.sh</c> (CPython build, then packing) with its progress on
/// stderr and prints the runners directory. Both take <c>--runners-dir DIR</c> (default <c>GENVM_RUNNERS_DIR</c>,
/// else <c>${GENVM_CACHE_DIR:-~/.cache/genvm}/runners/store</c>); <c>build</c> also <c>--repo DIR</c> (default:
/// found upwards from the working directory and the executable) and <c>--update-repo-manifest</c>.
/// </summary>
internal sealed class RunnersVerb : IVerb
{
    private const string Usage = "usage: genvm runners list [--runners-dir DIR] | genvm runners build [--runners-dir DIR] [--repo DIR] [--update-repo-manifest]";
    private const string BuildScript = "runners/build-runners.sh";

    private readonly TextWriter? _out;
    private readonly TextWriter? _err;

    /// <summary>Writes to the console.</summary>
    public RunnersVerb()
    {
    }

    /// <summary>Writes to the given streams (tests).</summary>
    internal RunnersVerb(TextWriter stdout, TextWriter stderr)
    {
        _out = stdout;
        _err = stderr;
    }

    public string Name => "runners";

    public string Summary => "list the runners (ids, aliases, tags, presence on disk) or build and pack them";

    private TextWriter Out => _out ?? Console.Out;

    private TextWriter Err => _err ?? Console.Error;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || args[0] is not ("list" or "build") || !TryParseOptions(args.Skip(1).ToList(), args[0] == "build", out var options))
        {
            await Err.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        return args[0] == "list"
            ? await ListAsync(options.RunnersDir).ConfigureAwait(false)
            : await BuildAsync(options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> ListAsync(string runnersDir)
    {
        RunnerRegistry registry;
        try
        {
            registry = RunnerRegistry.Open(runnersDir);
        }
        catch (FormatException e)
        {
            await Err.WriteLineAsync($"genvm runners list: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        var manifest = registry.Manifest;
        await Out.WriteLineAsync($"runners directory: {runnersDir}").ConfigureAwait(false);
        if (manifest.Runners.Count == 0)
        {
            await Out.WriteLineAsync($"no runners: {Path.Combine(runnersDir, RunnerManifest.FileName)} is missing or empty (run `genvm runners build`)").ConfigureAwait(false);
        }

        await Out.WriteLineAsync("runners:").ConfigureAwait(false);
        foreach (var (name, hash) in manifest.Runners.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var id = new RunnerId(name, hash);
            var tags = manifest.Tags.Where(t => t.Value.TryGetValue(name, out var tagged) && tagged == hash).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
            var tagText = tags.Count == 0 ? string.Empty : "  tags: " + string.Join(',', tags) + " (debug mode only)";
            await Out.WriteLineAsync($"  {id}  {Presence(registry, id)}{tagText}").ConfigureAwait(false);
        }

        await Out.WriteLineAsync("aliases:").ConfigureAwait(false);
        foreach (var (reference, target) in manifest.Aliases.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var resolved = manifest.Runners.TryGetValue(target, out var hash) ? $"{target}:{hash}  {Presence(registry, new RunnerId(target, hash))}" : $"{target} (not built)";
            await Out.WriteLineAsync($"  {reference} -> {resolved}").ConfigureAwait(false);
        }

        await Out.WriteLineAsync("not shipped (fail with `runner <id>:<hash> not found`):").ConfigureAwait(false);
        foreach (var (reference, why) in manifest.NotShipped.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            await Out.WriteLineAsync($"  {reference}  {why}").ConfigureAwait(false);
        }

        return 0;
    }

    private static string Presence(RunnerRegistry registry, RunnerId id) => File.Exists(registry.TarPath(id)) ? "present" : "missing";

    private async Task<int> BuildAsync(Options options, CancellationToken cancellationToken)
    {
        var repo = options.Repo ?? FindRepository();
        var script = repo is null ? null : Path.Combine(repo, BuildScript);
        if (script is null || !File.Exists(script))
        {
            await Err.WriteLineAsync($"genvm runners build: cannot find {BuildScript} (run from the repository or pass --repo DIR)").ConfigureAwait(false);
            return 1;
        }

        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repo,
        };
        start.ArgumentList.Add(script);
        if (options.UpdateRepoManifest)
        {
            start.ArgumentList.Add("--update-repo-manifest");
        }

        // The script and build-python.sh honour GENVM_CACHE_DIR themselves; the runners directory is passed on.
        start.Environment["GENVM_RUNNERS_DIR"] = options.RunnersDir;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        using var registration = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        });
        var pumpOut = PumpAsync(process.StandardOutput, Out);
        var pumpErr = PumpAsync(process.StandardError, Err);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(pumpOut, pumpErr).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            await Err.WriteLineAsync($"genvm runners build: {BuildScript} failed with exit code {process.ExitCode}").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }

    private static async Task PumpAsync(StreamReader from, TextWriter to)
    {
        while (await from.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            await to.WriteLineAsync(line).ConfigureAwait(false);
            await to.FlushAsync().ConfigureAwait(false);
        }
    }

    private static string? FindRepository()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, BuildScript)))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }

    private static bool TryParseOptions(List<string> args, bool build, out Options options)
    {
        options = new Options(RunnerPaths.DefaultRunnersDirectory, null, false);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--runners-dir" when i + 1 < args.Count:
                    options = options with { RunnersDir = Path.GetFullPath(args[++i]) };
                    break;
                case "--repo" when build && i + 1 < args.Count:
                    options = options with { Repo = Path.GetFullPath(args[++i]) };
                    break;
                case "--update-repo-manifest" when build:
                    options = options with { UpdateRepoManifest = true };
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private sealed record Options(string RunnersDir, string? Repo, bool UpdateRepoManifest);
}
