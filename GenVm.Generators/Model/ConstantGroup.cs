using System.Collections.Generic;

namespace GenVm.Generators.Model;

/// <summary>A group of constants: one generated enum or static class.</summary>
internal sealed class ConstantGroup
{
    public ConstantGroup(string name, GroupKind kind, ConstantType type, string doc, string spec, IReadOnlyList<ConstantMember> members)
    {
        Name = name;
        Kind = kind;
        Type = type;
        Doc = doc;
        Spec = spec;
        Members = members;
    }

    /// <summary>PascalCase type name.</summary>
    public string Name { get; }

    /// <summary>Enum or constants.</summary>
    public GroupKind Kind { get; }

    /// <summary>Underlying type of an enum, type of every constant otherwise.</summary>
    public ConstantType Type { get; }

    /// <summary>One-line description.</summary>
    public string Doc { get; }

    /// <summary>Spec section.</summary>
    public string Spec { get; }

    /// <summary>Members in file order.</summary>
    public IReadOnlyList<ConstantMember> Members { get; }

    /// <summary>True when any member carries a spec name, so a name lookup is generated.</summary>
    public bool HasText
    {
        get
        {
            foreach (var member in Members)
            {
                if (member.Text is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
