using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Lets generated assemblies use GenVm.Wasm's internal runtime types and fields directly (the runtime honours
/// <c>IgnoresAccessChecksToAttribute</c> on dynamic assemblies), so hot paths need no public plumbing.
/// </summary>
internal static class AccessChecks
{
    private static readonly ConstructorInfo Constructor = typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!;

    public static void Apply(AssemblyBuilder assembly) =>
        assembly.SetCustomAttribute(new CustomAttributeBuilder(Constructor, [typeof(AccessChecks).Assembly.GetName().Name!]));
}
