namespace GenVm.Wasm.Binary;

/// <summary>
/// A constant expression (global initialiser, segment offset, element item) as decoded: its instructions, without
/// the final <c>end</c>. The decoder keeps every instruction it finds; the validator enforces that the sequence is
/// constant and well-typed ("constant expression required", "type mismatch").
/// </summary>
/// <param name="Instructions">The instructions in order.</param>
/// <param name="Offset">Byte offset of the first instruction in the module binary.</param>
internal sealed record ConstExpr(IReadOnlyList<ConstInstruction> Instructions, int Offset)
{
    /// <summary>Builds the expression <c>ref.func index</c> (element segments in the function-index encoding).</summary>
    public static ConstExpr RefFunc(uint functionIndex, int offset) =>
        new([new ConstInstruction(Opcode.RefFunc, 0, functionIndex, ValueKind.FuncRef)], offset);
}
