namespace GenVm.Wasm;

/// <summary>A WebAssembly value type. The numeric values are the binary-format type codes.</summary>
public enum ValueKind : byte
{
    /// <summary>32-bit integer.</summary>
    I32 = 0x7F,

    /// <summary>64-bit integer.</summary>
    I64 = 0x7E,

    /// <summary>32-bit IEEE 754 float.</summary>
    F32 = 0x7D,

    /// <summary>64-bit IEEE 754 float.</summary>
    F64 = 0x7C,

    /// <summary>128-bit vector (SIMD; decoded only to be rejected as unsupported).</summary>
    V128 = 0x7B,

    /// <summary>Nullable reference to a function.</summary>
    FuncRef = 0x70,

    /// <summary>Nullable opaque host reference.</summary>
    ExternRef = 0x6F,
}
