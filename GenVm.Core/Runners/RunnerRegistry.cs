using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace GenVm.Core.Runners;

/// <summary>
/// Resolves runner references and loads their tars (runners.md §5): <c>id:hash</c> syntax, the debug-only tags
/// <c>test</c>/<c>latest</c>, our alias table, then our own runners; tars at
/// <c>&lt;runners_dir&gt;/&lt;id&gt;/&lt;hash[0..2]&gt;/&lt;hash[2..]&gt;.tar</c>. Thread-safe.
/// </summary>
internal sealed class RunnerRegistry
{
    private static readonly ConcurrentDictionary<string, (string Stamp, RunnerRegistry Registry)> Opened = new(StringComparer.Ordinal);

    private readonly RunnerArchiveCache _cache;

    /// <summary>Creates a registry over <paramref name="runnersDirectory"/> with <paramref name="manifest"/>.</summary>
    public RunnerRegistry(string runnersDirectory, RunnerManifest manifest, RunnerArchiveCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(runnersDirectory);
        ArgumentNullException.ThrowIfNull(manifest);
        RunnersDirectory = runnersDirectory;
        Manifest = manifest;
        _cache = cache ?? RunnerArchiveCache.Shared;
    }

    /// <summary>The runners directory.</summary>
    public string RunnersDirectory { get; }

    /// <summary>The manifest in use.</summary>
    public RunnerManifest Manifest { get; }

    /// <summary>
    /// The registry of <paramref name="runnersDirectory"/> (default <see cref="RunnerPaths.DefaultRunnersDirectory"/>)
    /// with the manifest <c>runners-manifest.json</c> written there by <c>genvm runners build</c>; no manifest means
    /// no runners. Without <paramref name="cache"/> the instance is shared per directory (and replaced when the
    /// manifest file changes), so its archive cache and load memos serve every caller of the process.
    /// </summary>
    /// <exception cref="FormatException">The manifest is malformed.</exception>
    public static RunnerRegistry Open(string? runnersDirectory = null, RunnerArchiveCache? cache = null)
    {
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runnersDirectory ?? RunnerPaths.DefaultRunnersDirectory));
        var manifestPath = Path.Combine(directory, RunnerManifest.FileName);
        if (cache is not null)
        {
            return new RunnerRegistry(directory, RunnerManifest.Load(manifestPath), cache);
        }

        var info = new FileInfo(manifestPath);
        var stamp = info.Exists ? $"{info.Length}:{info.LastWriteTimeUtc.Ticks}" : "missing";
        if (Opened.TryGetValue(directory, out var known) && known.Stamp == stamp)
        {
            return known.Registry;
        }

        var registry = new RunnerRegistry(directory, RunnerManifest.Load(manifestPath), RunnerArchiveCache.Shared);
        Opened[directory] = (stamp, registry);
        return registry;
    }

    /// <summary>Successful loads per contract archive (see <see cref="RunnerLoader.Load"/>); they depend on this registry.</summary>
    internal ConditionalWeakTable<RunnerArchive, ConcurrentDictionary<(bool, bool, string), RunnerLoader.Memo>> Memos { get; } = new();

    /// <summary>
    /// Resolves <paramref name="reference"/> to one of our runners: tags only when <paramref name="debugMode"/>
    /// (else, or without an entry, an invalid runner id), then aliases, then our own ids.
    /// </summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract</c>: invalid runner id, or <c>runner id:hash not found</c>.</exception>
    public RunnerId Resolve(string reference, bool debugMode)
    {
        var id = RunnerId.Parse(reference);
        if (id.IsTag)
        {
            if (!debugMode || !Manifest.Tags.TryGetValue(id.Hash, out var tag) || !tag.TryGetValue(id.Name, out var tagged))
            {
                throw RunnerLoadException.Invalid(debugMode
                    ? $"invalid runner id `{reference}`: no `{id.Hash}` tag for {id.Name}"
                    : $"invalid runner id `{reference}`: `{id.Hash}` resolves only in debug mode");
            }

            id = id with { Hash = tagged };
        }

        if (Manifest.Aliases.TryGetValue(id.ToString(), out var ours) && Manifest.Runners.TryGetValue(ours, out var ourHash))
        {
            return new RunnerId(ours, ourHash);
        }

        if (Manifest.Runners.TryGetValue(id.Name, out var hash) && hash == id.Hash)
        {
            return id;
        }

        // runners.md §5: the same error for unknown ids and for known reference runners we do not ship.
        throw RunnerLoadException.Invalid($"runner {id} not found");
    }

    /// <summary>The tar path of a resolved id.</summary>
    public string TarPath(RunnerId id) => Path.Combine(RunnersDirectory, id.RelativeTarPath);

    /// <summary>The archive of a resolved id, from the cache or from its tar.</summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract</c>: the tar is missing or invalid.</exception>
    public RunnerArchive Load(RunnerId id) => _cache.GetOrAdd(id.ToString(), () =>
    {
        ReadOnlyMemory<byte> bytes;
        try
        {
            // Mapped, not copied (docs/decisions.md "Runner tars are mapped").
            bytes = MappedFile.Read(TarPath(id));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw RunnerLoadException.Invalid($"runner {id} not found: {e.Message} (run `genvm runners build`)");
        }

        return UstarReader.Read(bytes);
    });
}
