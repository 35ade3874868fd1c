namespace GenVm.Generators.Model;

/// <summary>How a group of constants is rendered (protocol/README.md, "kind").</summary>
internal enum GroupKind
{
    /// <summary>An enum over an integer type.</summary>
    Enum,

    /// <summary>A static class of named constants.</summary>
    Constants,
}
