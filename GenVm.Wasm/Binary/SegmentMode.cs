namespace GenVm.Wasm.Binary;

/// <summary>How a segment is used.</summary>
internal enum SegmentMode
{
    /// <summary>Copied into a table or memory at instantiation.</summary>
    Active,

    /// <summary>Used only by <c>table.init</c> / <c>memory.init</c>.</summary>
    Passive,

    /// <summary>Element segment that only declares functions referable by <c>ref.func</c>.</summary>
    Declarative,
}
