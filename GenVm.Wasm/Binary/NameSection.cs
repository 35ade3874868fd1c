namespace GenVm.Wasm.Binary;

/// <summary>The decoded "name" custom section: used for backtraces and fingerprints.</summary>
internal sealed class NameSection
{
    /// <summary>The module name subsection, if any.</summary>
    public string? ModuleName { get; set; }

    /// <summary>Function names by function index.</summary>
    public Dictionary<uint, string> FunctionNames { get; } = [];
}
