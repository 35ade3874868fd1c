using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace GenVm.Host.Manager;

/// <summary>Config documents as JSON trees: YAML loading, <c>${…}</c> templating (config.md §1) and binding input.</summary>
internal static class YamlJson
{
    /// <summary>Parses YAML (or JSON) into a JSON tree of objects, arrays and strings, templating every string.</summary>
    /// <exception cref="YamlDotNet.Core.YamlException">Malformed YAML.</exception>
    /// <exception cref="FormatException">An unknown <c>${…}</c> variable.</exception>
    public static JsonNode Load(string text, string genvmVersion, bool templateKeys)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? new JsonObject() : Convert(stream.Documents[0].RootNode, genvmVersion, templateKeys) ?? new JsonObject();
    }

    /// <summary>Templates every string value of <paramref name="node"/> in place (keys are left alone).</summary>
    /// <exception cref="FormatException">An unknown <c>${…}</c> variable.</exception>
    public static JsonNode TemplateStrings(JsonNode node, string genvmVersion)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is not null)
                    {
                        obj[key] = TemplateStrings(child.DeepClone(), genvmVersion);
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } child)
                    {
                        array[i] = TemplateStrings(child.DeepClone(), genvmVersion);
                    }
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(ConfigTemplate.Expand(text, genvmVersion));
            default:
                return node;
        }
    }

    /// <summary>An <see cref="IConfiguration"/> over <paramref name="node"/> (arrays become <c>0</c>, <c>1</c>, … keys).</summary>
    public static IConfiguration ToConfiguration(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var root = node is JsonObject ? node : new JsonObject();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(root.ToJsonString()));
        return new ConfigurationBuilder().AddJsonStream(stream).Build();
    }

    private static JsonNode? Convert(YamlNode node, string genvmVersion, bool templateKeys)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    obj[templateKeys ? ConfigTemplate.Expand(name, genvmVersion) : name] = Convert(value, genvmVersion, templateKeys);
                }

                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(c => Convert(c, genvmVersion, templateKeys))]);
            case YamlScalarNode scalar:
                if (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "null" or "~" or "" or null)
                {
                    return null;
                }

                return JsonValue.Create(ConfigTemplate.Expand(scalar.Value ?? "", genvmVersion));
            default:
                return null;
        }
    }
}
