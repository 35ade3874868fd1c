namespace GenVm.Generators.Model;

/// <summary>One named constant or enum member.</summary>
internal sealed class ConstantMember
{
    public ConstantMember(string name, string value, string? text, string doc, string spec)
    {
        Name = name;
        Value = value;
        Text = text;
        Doc = doc;
        Spec = spec;
    }

    /// <summary>PascalCase identifier.</summary>
    public string Name { get; }

    /// <summary>Canonical decimal text for integer types, the string itself for <c>string</c>.</summary>
    public string Value { get; }

    /// <summary>The spec's own name for an enum member (e.g. <c>i_am_leader</c>), or null.</summary>
    public string? Text { get; }

    /// <summary>One-line description.</summary>
    public string Doc { get; }

    /// <summary>Spec section, the group's when the member gives none.</summary>
    public string Spec { get; }
}
