namespace GenVm.Generators.Model;

/// <summary>A value type of the schema (protocol/README.md, "type") and its C# spelling and range.</summary>
internal sealed class ConstantType
{
    private static readonly ConstantType[] All =
    [
        new("u8", "byte", 0m, byte.MaxValue),
        new("u16", "ushort", 0m, ushort.MaxValue),
        new("u32", "uint", 0m, uint.MaxValue),
        new("u64", "ulong", 0m, ulong.MaxValue),
        new("i32", "int", int.MinValue, int.MaxValue),
        new("i64", "long", long.MinValue, long.MaxValue),
        new("string", "string", 0m, 0m),
    ];

    private ConstantType(string name, string csharpKeyword, decimal min, decimal max)
    {
        Name = name;
        CSharpKeyword = csharpKeyword;
        Min = min;
        Max = max;
    }

    /// <summary>The schema name, e.g. <c>u8</c>.</summary>
    public string Name { get; }

    /// <summary>The C# keyword, e.g. <c>byte</c>.</summary>
    public string CSharpKeyword { get; }

    /// <summary>Smallest value (integer types only).</summary>
    public decimal Min { get; }

    /// <summary>Largest value (integer types only).</summary>
    public decimal Max { get; }

    /// <summary>True for every type but <c>string</c>.</summary>
    public bool IsInteger => Name != "string";

    /// <summary>The schema's type names, for error messages.</summary>
    public static string Names => "u8, u16, u32, u64, i32, i64, string";

    /// <summary>Finds a type by schema name, or null.</summary>
    public static ConstantType? Find(string name)
    {
        foreach (var type in All)
        {
            if (type.Name == name)
            {
                return type;
            }
        }

        return null;
    }
}
