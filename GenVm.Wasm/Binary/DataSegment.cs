namespace GenVm.Wasm.Binary;

/// <summary>A data segment; its bytes are <c>Bytes[DataOffset .. DataOffset + DataLength)</c> of the module binary.</summary>
/// <param name="Mode">Active or passive.</param>
/// <param name="MemoryIndex">Target memory (active only).</param>
/// <param name="Offset">Offset expression (active only).</param>
/// <param name="DataOffset">Start of the bytes in the module binary.</param>
/// <param name="DataLength">Length of the bytes.</param>
internal sealed record DataSegment(SegmentMode Mode, uint MemoryIndex, ConstExpr? Offset, int DataOffset, int DataLength);
