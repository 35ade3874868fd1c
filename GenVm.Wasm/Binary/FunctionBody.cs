namespace GenVm.Wasm.Binary;

/// <summary>
/// One entry of the code section. The instructions are <c>Bytes[CodeOffset .. CodeOffset + CodeLength)</c> of the
/// module binary, ending with the function's final <c>end</c> (0x0B).
/// </summary>
/// <param name="FunctionIndex">Index in the function index space.</param>
/// <param name="Locals">Declared locals, expanded (one entry per local), not including parameters.</param>
/// <param name="BodyOffset">Offset of the body's size field in the module binary (used in backtraces).</param>
/// <param name="CodeOffset">Offset of the first instruction.</param>
/// <param name="CodeLength">Length of the instructions including the final <c>end</c>.</param>
internal sealed record FunctionBody(uint FunctionIndex, ValueKind[] Locals, int BodyOffset, int CodeOffset, int CodeLength)
{
    /// <summary>
    /// The maximum operand-stack height of the body (each operand counts 1, block parameters re-pushed at
    /// <c>loop</c>/<c>if</c>/<c>else</c> included, unreachable code not counted), computed by the validator
    /// (<see cref="Validation.ModuleValidator"/>); 0 before validation. wasm-abi.md §13: a function's stack cost
    /// is <c>Locals.Length + MaxStackHeight</c>.
    /// </summary>
    public int MaxStackHeight { get; set; }

    /// <summary>wasm-abi.md §13 static stack cost: declared locals plus <see cref="MaxStackHeight"/>.</summary>
    public int StackCost => Locals.Length + MaxStackHeight;
}
