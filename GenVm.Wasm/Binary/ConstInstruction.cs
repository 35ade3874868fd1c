namespace GenVm.Wasm.Binary;

/// <summary>One instruction of a constant expression.</summary>
/// <param name="Opcode">The instruction.</param>
/// <param name="Bits">Immediate of <c>i32.const</c> (sign-extended), <c>i64.const</c>, or the raw IEEE bits of <c>f32.const</c>/<c>f64.const</c>.</param>
/// <param name="Index">Immediate of <c>global.get</c> or <c>ref.func</c>.</param>
/// <param name="RefKind">Immediate of <c>ref.null</c>.</param>
internal readonly record struct ConstInstruction(Opcode Opcode, long Bits, uint Index, ValueKind RefKind);
