using System.Text.Json;

namespace GenVm.Core.Runners;

/// <summary>
/// <c>runners-manifest.json</c> (schema in runners/README.md): our runners under their true ids, the alias table from
/// reference ids to our runners, the debug-only tags and the reference runners we know but do not ship.
/// </summary>
internal sealed class RunnerManifest
{
    /// <summary>The only schema version understood.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The file name, both in the repository and in the runners directory.</summary>
    public const string FileName = "runners-manifest.json";

    /// <summary>Our runners: id → hash = nix32(sha256(tar)) of the tar in the runners directory.</summary>
    public IReadOnlyDictionary<string, string> Runners { get; init; } = new Dictionary<string, string>();

    /// <summary>Reference <c>id:hash</c> → the id of our runner that replaces it (resolved through <see cref="Runners"/>).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    /// <summary>Tag (<c>test</c>, <c>latest</c>) → id → hash; consulted only in debug mode (runners.md §5).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Tags { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Reference <c>id:hash</c> we know but do not ship → why (shown by <c>genvm runners list</c>; they fail like unknown ids).</summary>
    public IReadOnlyDictionary<string, string> NotShipped { get; init; } = new Dictionary<string, string>();

    /// <summary>An empty manifest (no runners: every <c>Depends</c> fails with "not found").</summary>
    public static RunnerManifest Empty { get; } = new();

    /// <summary>Parses the JSON text of a manifest.</summary>
    /// <exception cref="FormatException">Not a manifest of schema version 1.</exception>
    public static RunnerManifest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("$schema_version", out var version)
                || version.ValueKind != JsonValueKind.Number
                || version.GetInt32() != SchemaVersion)
            {
                throw new FormatException($"{FileName}: `$schema_version` must be {SchemaVersion}");
            }

            var tags = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            if (root.TryGetProperty("tags", out var tagsElement))
            {
                foreach (var tag in Object(tagsElement, "tags").EnumerateObject())
                {
                    tags[tag.Name] = StringMap(tag.Value, "tags." + tag.Name);
                }
            }

            return new RunnerManifest
            {
                Runners = Optional(root, "runners"),
                Aliases = Optional(root, "aliases"),
                Tags = tags,
                NotShipped = Optional(root, "not_shipped"),
            };
        }
        catch (JsonException e)
        {
            throw new FormatException($"{FileName}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"{FileName}: {e.Message}", e);
        }
    }

    /// <summary>Reads a manifest file; a missing file is the empty manifest.</summary>
    /// <exception cref="FormatException">The file is not a manifest.</exception>
    public static RunnerManifest Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllBytes(path)) : Empty;

    private static Dictionary<string, string> Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) ? StringMap(element, name) : new Dictionary<string, string>(StringComparer.Ordinal);

    private static JsonElement Object(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new FormatException($"{FileName}: `{what}` must be an object");

    private static Dictionary<string, string> StringMap(JsonElement element, string what)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in Object(element, what).EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw new FormatException($"{FileName}: `{what}.{property.Name}` must be a string");
        }

        return map;
    }
}
