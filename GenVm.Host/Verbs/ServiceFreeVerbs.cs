namespace GenVm.Host.Verbs;

/// <summary>
/// The verbs that read no configuration, log nothing and resolve no service. <c>Program</c> runs them without building
/// the configuration or the service container (about a third of a fresh process's start-up before the wasm entry
/// point; docs/decisions.md, "Host start-up"). Every verb here is also registered in <see cref="VerbRegistry"/>, which
/// the usage text and embedders use; a verb that starts needing services must leave this list.
/// </summary>
internal static class ServiceFreeVerbs
{
    /// <summary>The names this list serves.</summary>
    public static IReadOnlyList<string> Names { get; } = ["wasm", "calldata", "version"];

    /// <summary>A new verb named <paramref name="name"/>, or null when that verb needs services (or does not exist).</summary>
    public static IVerb? Create(string name) => name switch
    {
        "wasm" => new WasmVerb(),
        "calldata" => new CalldataVerb(),
        "version" => new VersionVerb(),
        _ => null,
    };
}
