using GenVm.Host.Manager;
using YamlDotNet.RepresentationModel;

namespace GenVm.Host.Configuration;

/// <summary>
/// The executor's <c>genvm.yaml</c> (config.md §1, §2) as configuration keys: the file is parsed as YAML, every string
/// (values and map keys) goes through the <c>${exeDir}</c> / <c>${genvmVersion}</c> / <c>${ENV[NAME]}</c> templating,
/// and the tree is flattened to <c>section:key</c> paths (<c>modules:llm:address</c>, <c>runners_dir</c>, …) that are
/// added to the host configuration, so the YAML binds into the same options as <c>appsettings.json</c>.
/// </summary>
internal static class ExecutorConfigFile
{
    /// <summary>The default location (config.md §3), before templating.</summary>
    public const string DefaultPath = "${exeDir}/../config/genvm.yaml";

    /// <summary>Reads and flattens <paramref name="path"/> (already templated).</summary>
    /// <exception cref="FormatException">Not YAML, not a mapping at the top, or an unknown <c>${…}</c> variable.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Dictionary<string, string?> Load(string path, string genvmVersion)
    {
        var text = File.ReadAllText(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"{path}: not YAML: {e.Message}", e);
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (stream.Documents.Count == 0)
        {
            return values;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException($"{path}: the top level must be a mapping");
        }

        Flatten(root, prefix: null, values, genvmVersion);
        return values;
    }

    private static void Flatten(YamlNode node, string? prefix, Dictionary<string, string?> values, string genvmVersion)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = ConfigTemplate.Expand((key as YamlScalarNode)?.Value ?? string.Empty, genvmVersion);
                    Flatten(value, prefix is null ? name : prefix + ":" + name, values, genvmVersion);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], prefix + ":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values, genvmVersion);
                }

                break;
            case YamlScalarNode scalar when prefix is not null:
                values[prefix] = scalar.Value is null ? null : ConfigTemplate.Expand(scalar.Value, genvmVersion);
                break;
        }
    }
}
