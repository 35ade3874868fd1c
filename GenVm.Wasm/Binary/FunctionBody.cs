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
internal sealed record FunctionBody(uint FunctionIndex, ValueKind[] Locals, int BodyOffset, int CodeOffset, int CodeLength);
