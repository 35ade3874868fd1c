namespace GenVm.Wasm.Runtime;

/// <summary>Conversions between <see cref="Value"/> and the raw CLR values compiled code uses.</summary>
internal static class ValueMarshal
{
    /// <summary>The reference a <see cref="Value"/> carries into a table of <paramref name="kind"/>.</summary>
    public static object? ToReference(Value value, ValueKind kind)
    {
        if (value.Kind != kind)
        {
            throw new ArgumentException($"expected a {kind} value, got {value.Kind}", nameof(value));
        }

        return value.Reference;
    }

    /// <summary>A table element as a <see cref="Value"/>.</summary>
    public static Value FromReference(object? reference, ValueKind kind) =>
        kind == ValueKind.FuncRef ? Value.FromFuncRef((Func?)reference) : Value.FromExternRef(reference);

    /// <summary>A global cell's content as a <see cref="Value"/>.</summary>
    public static Value FromCell(ValueKind kind, long bits, object? reference) => kind switch
    {
        ValueKind.I32 => Value.FromI32((int)bits),
        ValueKind.I64 => Value.FromI64(bits),
        ValueKind.F32 => Value.FromF32Bits((int)bits),
        ValueKind.F64 => Value.FromF64Bits(bits),
        _ => FromReference(reference, kind),
    };

    // Used by emitted stubs (one call per argument or result).
    public static Value FuncRefToValue(object? reference) => Value.FromFuncRef((Func?)reference);

    public static Value ExternRefToValue(object? reference) => Value.FromExternRef(reference);

    public static int ValueToI32(in Value v) => v.I32;

    public static long ValueToI64(in Value v) => v.I64;

    public static float ValueToF32(in Value v) => BitConverter.Int32BitsToSingle((int)v.Bits);

    public static double ValueToF64(in Value v) => BitConverter.Int64BitsToDouble(v.Bits);

    public static object? ValueToRef(in Value v) => v.Reference;
}
