namespace GenVm.Wasm.Validation;

/// <summary>
/// Operand and result types of the plain numeric instructions (single-byte opcodes <c>0x45..0xC4</c> and the
/// saturating conversions <c>0xFC00..0xFC07</c>), as tables indexed by opcode byte so the validator's hot loop
/// needs one lookup. <c>0</c> means "none".
/// </summary>
internal static class NumericSignatures
{
    private const ValueKind I32 = ValueKind.I32;
    private const ValueKind I64 = ValueKind.I64;
    private const ValueKind F32 = ValueKind.F32;
    private const ValueKind F64 = ValueKind.F64;

    /// <summary>First (deeper) operand type.</summary>
    public static readonly ValueKind[] Operand1 = new ValueKind[256];

    /// <summary>Second (top) operand type, or 0 for unary instructions.</summary>
    public static readonly ValueKind[] Operand2 = new ValueKind[256];

    /// <summary>Result type.</summary>
    public static readonly ValueKind[] Result = new ValueKind[256];

    /// <summary>Operand types of <c>0xFC00..0xFC07</c>.</summary>
    public static readonly ValueKind[] SaturatingOperand = [F32, F32, F64, F64, F32, F32, F64, F64];

    /// <summary>Result types of <c>0xFC00..0xFC07</c>.</summary>
    public static readonly ValueKind[] SaturatingResult = [I32, I32, I32, I32, I64, I64, I64, I64];

    static NumericSignatures()
    {
        Unary(0x45, 0x45, I32, I32);
        Binary(0x46, 0x4F, I32, I32);
        Unary(0x50, 0x50, I64, I32);
        Binary(0x51, 0x5A, I64, I32);
        Binary(0x5B, 0x60, F32, I32);
        Binary(0x61, 0x66, F64, I32);
        Unary(0x67, 0x69, I32, I32);
        Binary(0x6A, 0x78, I32, I32);
        Unary(0x79, 0x7B, I64, I64);
        Binary(0x7C, 0x8A, I64, I64);
        Unary(0x8B, 0x91, F32, F32);
        Binary(0x92, 0x98, F32, F32);
        Unary(0x99, 0x9F, F64, F64);
        Binary(0xA0, 0xA6, F64, F64);
        Unary(0xA7, 0xA7, I64, I32);
        Unary(0xA8, 0xA9, F32, I32);
        Unary(0xAA, 0xAB, F64, I32);
        Unary(0xAC, 0xAD, I32, I64);
        Unary(0xAE, 0xAF, F32, I64);
        Unary(0xB0, 0xB1, F64, I64);
        Unary(0xB2, 0xB3, I32, F32);
        Unary(0xB4, 0xB5, I64, F32);
        Unary(0xB6, 0xB6, F64, F32);
        Unary(0xB7, 0xB8, I32, F64);
        Unary(0xB9, 0xBA, I64, F64);
        Unary(0xBB, 0xBB, F32, F64);
        Unary(0xBC, 0xBC, F32, I32);
        Unary(0xBD, 0xBD, F64, I64);
        Unary(0xBE, 0xBE, I32, F32);
        Unary(0xBF, 0xBF, I64, F64);
        Unary(0xC0, 0xC1, I32, I32);
        Unary(0xC2, 0xC4, I64, I64);
    }

    private static void Unary(int from, int to, ValueKind operand, ValueKind result)
    {
        for (var op = from; op <= to; op++)
        {
            Operand1[op] = operand;
            Result[op] = result;
        }
    }

    private static void Binary(int from, int to, ValueKind operand, ValueKind result)
    {
        for (var op = from; op <= to; op++)
        {
            Operand1[op] = operand;
            Operand2[op] = operand;
            Result[op] = result;
        }
    }
}
