using System.Collections.Generic;
using System.Globalization;
using GenVm.Generators.Json;

namespace GenVm.Generators.Model;

/// <summary>
/// Turns the parsed constants file into groups, enforcing the schema of protocol/README.md strictly: unknown keys
/// are errors (a typo such as "vaule" must not silently drop a constant); keys starting with <c>$</c> are comments.
/// </summary>
internal static class ConstantsSchemaReader
{
    private static readonly string[] RootKeys = ["groups"];
    private static readonly string[] GroupKeys = ["name", "kind", "type", "doc", "spec", "members"];
    private static readonly string[] MemberKeys = ["name", "value", "text", "doc", "spec"];

    /// <summary>Reads every group.</summary>
    /// <exception cref="SchemaException">The document does not follow the schema.</exception>
    public static IReadOnlyList<ConstantGroup> Read(JsonNode root)
    {
        var rootObject = AsObject(root, "the document");
        CheckKeys(rootObject, RootKeys, "the document");
        var groupsNode = AsArray(Required(rootObject, "groups", "the document"), "\"groups\"");
        var groups = new List<ConstantGroup>();
        var groupNames = new HashSet<string>();
        foreach (var item in groupsNode.Items)
        {
            var group = ReadGroup(item);
            if (!groupNames.Add(group.Name))
            {
                throw Error($"duplicate group name \"{group.Name}\"", item);
            }

            groups.Add(group);
        }

        foreach (var group in groups)
        {
            // The generated name lookup class must not collide with a group's type.
            if (group.HasText && groupNames.Contains(group.Name + "Extensions"))
            {
                throw Error($"group \"{group.Name}Extensions\" collides with the name lookup generated for \"{group.Name}\"", groupsNode);
            }
        }

        return groups;
    }

    private static ConstantGroup ReadGroup(JsonNode node)
    {
        var group = AsObject(node, "a group");
        CheckKeys(group, GroupKeys, "a group");
        var name = ReadIdentifier(group, "a group");
        var where = $"group \"{name}\"";
        var kindNode = Required(group, "kind", where);
        var kind = AsString(kindNode, "\"kind\"") switch
        {
            "enum" => GroupKind.Enum,
            "constants" => GroupKind.Constants,
            var other => throw Error($"{where}: \"kind\" must be \"enum\" or \"constants\", not \"{other}\"", kindNode),
        };
        var typeNode = Required(group, "type", where);
        var typeName = AsString(typeNode, "\"type\"");
        var type = ConstantType.Find(typeName)
            ?? throw Error($"{where}: unknown type \"{typeName}\" (expected one of {ConstantType.Names})", typeNode);
        if (kind == GroupKind.Enum && !type.IsInteger)
        {
            throw Error($"{where}: an enum needs an integer type, not \"{typeName}\"", typeNode);
        }

        var doc = ReadText(group, "doc", where);
        var spec = ReadText(group, "spec", where);
        var membersNode = AsArray(Required(group, "members", where), $"{where} \"members\"");
        if (membersNode.Items.Count == 0)
        {
            throw Error($"{where}: \"members\" is empty", membersNode);
        }

        var members = new List<ConstantMember>();
        var memberNames = new HashSet<string>();
        var enumValues = new HashSet<string>();
        foreach (var item in membersNode.Items)
        {
            var member = ReadMember(item, name, kind, type, spec);

            // An enum value with two names makes the value-to-name mapping (and the generated switch) ambiguous.
            if (kind == GroupKind.Enum && !enumValues.Add(member.Value))
            {
                throw Error($"{where}: duplicate enum value {member.Value} (member \"{member.Name}\")", item);
            }

            // Upper-cased, because the Python generator renders names in UPPER_SNAKE_CASE (protocol/README.md).
            if (!memberNames.Add(member.Name.ToUpperInvariant()))
            {
                throw Error($"{where}: duplicate member name \"{member.Name}\" (names must differ in more than case)", item);
            }

            members.Add(member);
        }

        return new ConstantGroup(name, kind, type, doc, spec, members);
    }

    private static ConstantMember ReadMember(JsonNode node, string groupName, GroupKind kind, ConstantType type, string groupSpec)
    {
        var member = AsObject(node, $"a member of group \"{groupName}\"");
        CheckKeys(member, MemberKeys, "a member");
        var name = ReadIdentifier(member, $"a member of group \"{groupName}\"");
        var where = $"member \"{groupName}.{name}\"";
        if (name == groupName)
        {
            // C# forbids a member named like its enclosing type (CS0542).
            throw Error($"{where}: a member cannot have the name of its group", member);
        }

        var valueNode = Required(member, "value", where);
        var value = type.IsInteger ? ReadInteger(valueNode, type, where) : AsString(valueNode, $"{where} \"value\"");
        string? text = null;
        if (member.Find("text") is { } textProperty)
        {
            if (kind != GroupKind.Enum)
            {
                throw Error($"{where}: \"text\" is only allowed in enum groups (the value already is the text)", textProperty.Value);
            }

            text = AsString(textProperty.Value, $"{where} \"text\"");
        }

        var doc = ReadText(member, "doc", where);
        var spec = member.Find("spec") is null ? groupSpec : ReadText(member, "spec", where);
        return new ConstantMember(name, value, text, doc, spec);
    }

    private static string ReadInteger(JsonNode node, ConstantType type, string where)
    {
        if (node is not JsonNumber number || !number.IsInteger)
        {
            throw Error($"{where}: \"value\" must be an integer for type {type.Name}, found {Describe(node)}", node);
        }

        // Integer JSON numbers are at most a sign and digits; decimal holds every 64-bit value exactly.
        if (!decimal.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || value < type.Min
            || value > type.Max)
        {
            throw Error($"{where}: {number.Text} is out of range for type {type.Name}", node);
        }

        return value.ToString(CultureInfo.InvariantCulture);
    }

    private static string ReadIdentifier(JsonObject owner, string where)
    {
        var node = Required(owner, "name", where);
        var name = AsString(node, "\"name\"");
        if (!IsPascalIdentifier(name))
        {
            throw Error($"\"{name}\" is not a PascalCase identifier ([A-Z][A-Za-z0-9]*)", node);
        }

        return name;
    }

    private static string ReadText(JsonObject owner, string key, string where)
    {
        var node = Required(owner, key, where);
        var text = AsString(node, $"{where} \"{key}\"");
        if (text.Trim().Length == 0)
        {
            throw Error($"{where}: \"{key}\" is empty", node);
        }

        return text;
    }

    private static bool IsPascalIdentifier(string name)
    {
        if (name.Length == 0 || name[0] < 'A' || name[0] > 'Z')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckKeys(JsonObject owner, string[] allowed, string where)
    {
        foreach (var property in owner.Properties)
        {
            if (property.Name.StartsWith("$", System.StringComparison.Ordinal) || System.Array.IndexOf(allowed, property.Name) >= 0)
            {
                continue;
            }

            throw new SchemaException(
                $"unknown key \"{property.Name}\" in {where} (allowed: {string.Join(", ", allowed)}; keys starting with $ are comments)",
                property.NameStart,
                property.NameLength);
        }
    }

    private static JsonNode Required(JsonObject owner, string key, string where)
        => owner.Find(key)?.Value ?? throw Error($"{where}: missing required key \"{key}\"", owner);

    private static JsonObject AsObject(JsonNode node, string what)
        => node as JsonObject ?? throw Error($"{what} must be an object, found {Describe(node)}", node);

    private static JsonArray AsArray(JsonNode node, string what)
        => node as JsonArray ?? throw Error($"{what} must be an array, found {Describe(node)}", node);

    private static string AsString(JsonNode node, string what)
        => (node as JsonString)?.Value ?? throw Error($"{what} must be a string, found {Describe(node)}", node);

    private static string Describe(JsonNode node) => node is JsonNumber number ? $"number {number.Text}" : node.KindName;

    // Objects and arrays can be long; point at their first character only.
    private static SchemaException Error(string message, JsonNode node)
        => new(message, node.Start, node is JsonObject or JsonArray ? 1 : node.Length);
}
