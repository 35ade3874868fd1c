using System.Globalization;
using System.Reflection;
using System.Text.Json;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Protocol;

/// <summary>
/// protocol/constants.json, read independently with System.Text.Json, against the types the generator produced:
/// every group and member must be there with the same value, and nothing else.
/// </summary>
[TestFixture]
public sealed class ConstantsJsonTests
{
    private static readonly Assembly Core = typeof(HostMethod).Assembly;

    private static readonly Dictionary<string, Type> ClrTypes = new()
    {
        ["u8"] = typeof(byte),
        ["u16"] = typeof(ushort),
        ["u32"] = typeof(uint),
        ["u64"] = typeof(ulong),
        ["i32"] = typeof(int),
        ["i64"] = typeof(long),
        ["string"] = typeof(string),
    };

    private static IEnumerable<TestCaseData> Groups()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.ConstantsJson));
        foreach (var group in document.RootElement.GetProperty("groups").EnumerateArray())
        {
            yield return new TestCaseData(group.GetProperty("name").GetString()).SetArgDisplayNames(group.GetProperty("name").GetString()!);
        }
    }

    [TestCaseSource(nameof(Groups))]
    public void Group_GeneratedType_HasExactlyTheJsonMembers(string groupName)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.ConstantsJson));
        var group = document.RootElement.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == groupName);
        var type = Core.GetType("GenVm.Core.Protocol." + groupName);
        Assert.That(type, Is.Not.Null, $"no generated type {groupName}");
        var clrType = ClrTypes[group.GetProperty("type").GetString()!];
        var members = group.GetProperty("members").EnumerateArray().ToList();
        var jsonNames = members.Select(m => m.GetProperty("name").GetString()!).ToList();

        if (group.GetProperty("kind").GetString() == "enum")
        {
            Assert.That(type!.IsEnum, Is.True);
            Assert.That(Enum.GetUnderlyingType(type), Is.EqualTo(clrType));
            Assert.That(Enum.GetNames(type), Is.EquivalentTo(jsonNames));
            foreach (var member in members)
            {
                var name = member.GetProperty("name").GetString()!;
                var value = Enum.Parse(type, name);
                Assert.That(Convert.ToDecimal(value, CultureInfo.InvariantCulture), Is.EqualTo(member.GetProperty("value").GetDecimal()), name);
                if (member.TryGetProperty("text", out var text))
                {
                    Assert.That(SpecName(type, value), Is.EqualTo(text.GetString()), name);
                }
            }
        }
        else
        {
            Assert.That(type!.IsAbstract && type.IsSealed, Is.True, "static class");
            var fields = type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();
            Assert.That(fields.Select(f => f.Name), Is.EquivalentTo(jsonNames));
            foreach (var member in members)
            {
                var field = fields.Single(f => f.Name == member.GetProperty("name").GetString());
                Assert.That(field.FieldType, Is.EqualTo(clrType), field.Name);
                var json = member.GetProperty("value");
                object expected = clrType == typeof(string) ? json.GetString()! : Convert.ChangeType(json.GetDecimal(), clrType, CultureInfo.InvariantCulture);
                Assert.That(field.GetRawConstantValue(), Is.EqualTo(expected), field.Name);
            }
        }
    }

    [Test]
    public void GeneratedTypes_AllComeFromTheJson()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.ConstantsJson));
        var expected = new List<string>();
        foreach (var group in document.RootElement.GetProperty("groups").EnumerateArray())
        {
            var name = group.GetProperty("name").GetString()!;
            expected.Add(name);
            if (group.GetProperty("members").EnumerateArray().Any(m => m.TryGetProperty("text", out _)))
            {
                expected.Add(name + "Extensions");
            }
        }

        var generated = Core.GetTypes()
            .Where(t => t.Namespace == "GenVm.Core.Protocol" && t.GetCustomAttribute<System.CodeDom.Compiler.GeneratedCodeAttribute>()?.Tool == "GenVm.Generators")
            .Select(t => t.Name);
        Assert.That(generated, Is.EquivalentTo(expected));
    }

    private static string? SpecName(Type enumType, object value)
    {
        var extensions = Core.GetType($"GenVm.Core.Protocol.{enumType.Name}Extensions");
        Assert.That(extensions, Is.Not.Null, $"no {enumType.Name}Extensions");
        return (string?)extensions!.GetMethod("ToSpecName")!.Invoke(null, [value]);
    }
}
