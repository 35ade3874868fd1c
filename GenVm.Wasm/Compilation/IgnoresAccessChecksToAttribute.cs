namespace System.Runtime.CompilerServices;

/// <summary>Recognised by the runtime by name: the marked (generated) assembly may access the named assembly's non-public members.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;

    /// <summary>The assembly whose internals are accessed.</summary>
    public string AssemblyName { get; }
}
