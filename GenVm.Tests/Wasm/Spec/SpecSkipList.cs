namespace GenVm.Tests.Wasm.Spec;

/// <summary>
/// Spec commands we knowingly do not run, keyed <c>file:line</c> (file relative to the suite folder), each with the
/// reason. Keep it empty or tiny: every entry is a known engine gap.
/// </summary>
internal static class SpecSkipList
{
    /// <summary>Single commands skipped, with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> Commands = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // wast2json 1.0.32 writes no DataCount section for a module without data segments, so these binaries are
        // malformed ("data count section required", which our decoder reports) before validation could report the
        // unknown segment. The reference encoder writes the section; the engine is right for the binary it gets.
        ["memory_init.wast:190"] = "wast2json 1.0.32 omits the DataCount section: binary malformed before it is invalid",
        ["memory_init.wast:227"] = "wast2json 1.0.32 omits the DataCount section: binary malformed before it is invalid",
    };

    /// <summary>
    /// Whole scripts that do not pass yet, with the reason. Their test cases are <c>[Explicit]</c> so CI stays green
    /// and honest; run them by name to see the current failures.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
