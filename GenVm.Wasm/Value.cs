using System.Runtime.InteropServices;

namespace GenVm.Wasm;

/// <summary>
/// One WebAssembly value as seen by an embedder: a kind plus 64 bits of payload for numbers, or a reference.
/// Used at the host boundary only; compiled code works on raw CLR values.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct Value : IEquatable<Value>
{
    private readonly long _bits;

    private Value(ValueKind kind, long bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        Reference = reference;
    }

    /// <summary>The value's type.</summary>
    public ValueKind Kind { get; }

    /// <summary>For <see cref="ValueKind.FuncRef"/> a <see cref="Func"/> or null; for <see cref="ValueKind.ExternRef"/> any host object or null.</summary>
    public object? Reference { get; }

    /// <summary>The value as an i32.</summary>
    public int I32 => (int)_bits;

    /// <summary>The value as an i64.</summary>
    public long I64 => _bits;

    /// <summary>The value as an f32 (bit-exact, NaN payloads kept).</summary>
    public float F32 => BitConverter.Int32BitsToSingle((int)_bits);

    /// <summary>The value as an f64 (bit-exact, NaN payloads kept).</summary>
    public double F64 => BitConverter.Int64BitsToDouble(_bits);

    /// <summary>The raw payload bits (i32/f32 in the low 32 bits).</summary>
    public long Bits => _bits;

    /// <summary>Creates an i32.</summary>
    public static Value FromI32(int value) => new(ValueKind.I32, (uint)value, null);

    /// <summary>Creates an i64.</summary>
    public static Value FromI64(long value) => new(ValueKind.I64, value, null);

    /// <summary>Creates an f32.</summary>
    public static Value FromF32(float value) => new(ValueKind.F32, (uint)BitConverter.SingleToInt32Bits(value), null);

    /// <summary>Creates an f32 from its IEEE bits.</summary>
    public static Value FromF32Bits(int bits) => new(ValueKind.F32, (uint)bits, null);

    /// <summary>Creates an f64.</summary>
    public static Value FromF64(double value) => new(ValueKind.F64, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>Creates an f64 from its IEEE bits.</summary>
    public static Value FromF64Bits(long bits) => new(ValueKind.F64, bits, null);

    /// <summary>Creates a funcref (null for <c>ref.null func</c>).</summary>
    public static Value FromFuncRef(Func? func) => new(ValueKind.FuncRef, 0, func);

    /// <summary>Creates an externref (null for <c>ref.null extern</c>).</summary>
    public static Value FromExternRef(object? reference) => new(ValueKind.ExternRef, 0, reference);

    /// <summary>The zero value of a type (0, +0.0 or a null reference).</summary>
    public static Value Default(ValueKind kind) => new(kind, 0, null);

    /// <inheritdoc />
    public bool Equals(Value other) => Kind == other.Kind && _bits == other._bits && Equals(Reference, other.Reference);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Value v && Equals(v);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, Reference);

    /// <summary>Equality operator.</summary>
    public static bool operator ==(Value left, Value right) => left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ValueKind.I32 => $"i32:{I32}",
        ValueKind.I64 => $"i64:{I64}",
        ValueKind.F32 => $"f32:{F32}",
        ValueKind.F64 => $"f64:{F64}",
        _ => $"{Kind}:{Reference ?? "null"}",
    };
}
