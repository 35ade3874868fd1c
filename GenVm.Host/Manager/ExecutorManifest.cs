using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace GenVm.Host.Manager;

/// <summary>
/// The executor-version manifest (manager.md §2): version → <c>available_after</c>, read from YAML or JSON (JSON is
/// YAML, but a <c>.json</c> file is read with the JSON parser for exact error texts). Other keys are ignored.
/// </summary>
internal sealed class ExecutorManifest
{
    private readonly SortedDictionary<ExecutorVersion, DateTimeOffset> _versions;

    /// <summary>Creates a manifest from its entries.</summary>
    public ExecutorManifest(IReadOnlyDictionary<ExecutorVersion, DateTimeOffset> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        _versions = new SortedDictionary<ExecutorVersion, DateTimeOffset>(versions.ToDictionary());
    }

    /// <summary>The versions with their <c>available_after</c>, ascending.</summary>
    public IReadOnlyDictionary<ExecutorVersion, DateTimeOffset> Versions => _versions;

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="ManagerException">The spec's <c>Failed to read manifest file</c> / <c>Failed to parse manifest YAML</c>.</exception>
    public static ExecutorManifest Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ManagerException($"Failed to read manifest file: {path}: {e.Message}");
        }

        try
        {
            return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ParseJson(text) : ParseYaml(text);
        }
        catch (Exception e) when (e is FormatException or JsonException or YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            throw new ManagerException($"Failed to parse manifest YAML: {e.Message}");
        }
    }

    /// <summary>Parses YAML text (JSON text is accepted too).</summary>
    /// <exception cref="FormatException">Missing <c>executor_versions</c>, bad version or timestamp.</exception>
    public static ExecutorManifest ParseYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("manifest is not a mapping");
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("executor_versions"), out var node) || node is not YamlMappingNode versions)
        {
            throw new FormatException("missing field `executor_versions`");
        }

        var entries = new Dictionary<ExecutorVersion, DateTimeOffset>();
        foreach (var (key, value) in versions.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            string? after = null;
            if (value is YamlMappingNode entry && entry.Children.TryGetValue(new YamlScalarNode("available_after"), out var a))
            {
                after = (a as YamlScalarNode)?.Value;
            }

            Add(entries, name, after);
        }

        return new ExecutorManifest(entries);
    }

    /// <summary>Parses JSON text.</summary>
    /// <exception cref="FormatException">Missing <c>executor_versions</c>, bad version or timestamp.</exception>
    /// <exception cref="JsonException">Malformed JSON.</exception>
    public static ExecutorManifest ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("executor_versions", out var versions)
            || versions.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("missing field `executor_versions`");
        }

        var entries = new Dictionary<ExecutorVersion, DateTimeOffset>();
        foreach (var property in versions.EnumerateObject())
        {
            string? after = null;
            if (property.Value.ValueKind == JsonValueKind.Object
                && property.Value.TryGetProperty("available_after", out var a) && a.ValueKind == JsonValueKind.String)
            {
                after = a.GetString();
            }

            Add(entries, property.Name, after);
        }

        return new ExecutorManifest(entries);
    }

    /// <summary><c>get_latest_major(ts)</c> (§5.2): the largest major among versions available at <paramref name="timestamp"/>.</summary>
    public uint? GetLatestMajor(DateTimeOffset timestamp)
    {
        uint? best = null;
        foreach (var (version, after) in _versions)
        {
            if (after <= timestamp && (best is null || version.Major > best))
            {
                best = version.Major;
            }
        }

        return best;
    }

    /// <summary>
    /// <c>get_version(major, ts)</c> (§5.2): the largest version of <paramref name="major"/> available at
    /// <paramref name="timestamp"/>, then moved to <c>patch+1</c> while that exists, whatever its timestamp (a patch
    /// release supersedes older patches at every timestamp; minors stay gated by time).
    /// </summary>
    public ExecutorVersion? GetVersion(uint major, DateTimeOffset timestamp)
    {
        ExecutorVersion? best = null;
        foreach (var (version, after) in _versions)
        {
            if (version.Major == major && after <= timestamp && (best is null || version.CompareTo(best.Value) > 0))
            {
                best = version;
            }
        }

        if (best is not { } found)
        {
            return null;
        }

        while (found.Patch < uint.MaxValue && _versions.ContainsKey(found with { Patch = found.Patch + 1 }))
        {
            found = found with { Patch = found.Patch + 1 };
        }

        return found;
    }

    private static void Add(Dictionary<ExecutorVersion, DateTimeOffset> entries, string? name, string? after)
    {
        if (!ExecutorVersion.TryParse(name, out var version))
        {
            throw new FormatException($"invalid executor version `{name}`");
        }

        if (after is null)
        {
            throw new FormatException($"missing field `available_after` for `{name}`");
        }

        if (!DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var timestamp))
        {
            throw new FormatException($"invalid available_after `{after}` for `{name}`");
        }

        entries[version] = timestamp;
    }
}
