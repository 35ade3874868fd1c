using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace GenVm.Modules.Transport;

/// <summary>
/// Loads an operator's module YAML (config.md §1): the path and every string of the document (values and map keys)
/// go through the <c>${…}</c> templater (<c>exeDir</c>, <c>genvmVersion</c>, <c>ENV[NAME]</c>, empty when unset),
/// then the tree is flattened into configuration keys for options binding.
/// </summary>
internal static partial class ModuleConfigLoader
{
    /// <summary>
    /// Stands for <c>:</c> inside a YAML map key (model names such as <c>llama3:8b</c>): configuration keys use <c>:</c>
    /// as their separator. <see cref="RestoreKey"/> turns it back.
    /// </summary>
    public const char KeyColon = '\uE03A';

    /// <summary>The version string <c>${genvmVersion}</c> expands to.</summary>
    public static string Version { get; set; } = typeof(ModuleConfigLoader).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>Applies the <c>${…}</c> templater.</summary>
    /// <exception cref="FormatException"><c>unknown variable `name`</c>.</exception>
    public static string Template(string text, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return Dollar().Replace(text, m =>
        {
            if (m.Groups["env"].Success)
            {
                return environment(m.Groups["env"].Value) ?? "";
            }

            return m.Groups["name"].Value switch
            {
                "exeDir" => AppContext.BaseDirectory.TrimEnd('/'),
                "genvmVersion" => Version,
                var name => throw new FormatException($"unknown variable `{name}`"),
            };
        });
    }

    /// <summary>Reads and templates a YAML file into flat configuration pairs.</summary>
    /// <exception cref="FormatException">Bad YAML or an unknown variable.</exception>
    public static Dictionary<string, string?> Load(string yaml, Func<string, string?>? environment = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException("config: " + e.Message, e);
        }

        var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (stream.Documents.Count > 0)
        {
            Flatten(stream.Documents[0].RootNode, "", pairs, environment);
        }

        return pairs;
    }

    /// <summary>Builds an <see cref="IConfiguration"/> from YAML text plus overrides (command-line switches).</summary>
    public static IConfiguration Build(string yaml, IEnumerable<KeyValuePair<string, string?>>? overrides = null, Func<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(Load(yaml, environment));
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }

    /// <summary>A map key as written by the operator (see <see cref="KeyColon"/>).</summary>
    public static string RestoreKey(string key) => key.Replace(KeyColon, ':');

    private static void Flatten(YamlNode node, string prefix, Dictionary<string, string?> pairs, Func<string, string?>? environment)
    {
        switch (node)
        {
            case YamlMappingNode { Children.Count: 0 } when prefix.Length > 0:
                // `name: {}` (a model with all defaults) must still exist as a configuration section.
                pairs[prefix] = "";
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = Template(((YamlScalarNode)key).Value ?? "", environment).Replace(':', KeyColon);
                    Flatten(value, prefix.Length == 0 ? name : prefix + ":" + name, pairs, environment);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], prefix + ":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), pairs, environment);
                }

                break;
            case YamlScalarNode scalar:
                pairs[prefix] = scalar.Value is null || (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "~" or "null") ? null : Template(scalar.Value, environment);
                break;
        }
    }

    [GeneratedRegex(@"\$\{(?:ENV\[(?<env>[a-zA-Z0-9_]*)\]|(?<name>[a-zA-Z0-9_]*))\}")]
    private static partial Regex Dollar();
}
