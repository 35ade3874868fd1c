namespace GenVm.Wasm.Binary;

/// <summary>An element segment. Items of the function-index encodings are normalised to <c>ref.func i</c>.</summary>
/// <param name="Mode">Active, passive or declarative.</param>
/// <param name="TableIndex">Target table (active only).</param>
/// <param name="Offset">Offset expression (active only).</param>
/// <param name="ElementKind">funcref or externref.</param>
/// <param name="Items">One constant expression per element.</param>
internal sealed record ElementSegment(SegmentMode Mode, uint TableIndex, ConstExpr? Offset, ValueKind ElementKind, IReadOnlyList<ConstExpr> Items)
{
    /// <summary>The segment's encoding (0..7, Binary format §5.5.12) as read; lets the validator gate features.</summary>
    public uint Flags { get; init; }
}
