namespace GenVm.Wasm;

/// <summary>WebAssembly proposals an engine accepts. A module using a disabled feature fails validation.</summary>
[Flags]
public enum WasmFeatures
{
    /// <summary>Only the MVP.</summary>
    None = 0,

    /// <summary>Import and export of mutable globals.</summary>
    MutableGlobals = 1 << 0,

    /// <summary><c>i32.extend8_s</c> and friends.</summary>
    SignExtension = 1 << 1,

    /// <summary>Non-trapping float-to-int conversions (<c>*.trunc_sat_*</c>).</summary>
    SaturatingFloatToInt = 1 << 2,

    /// <summary>Multiple results and block parameters.</summary>
    MultiValue = 1 << 3,

    /// <summary><c>memory.copy</c>, <c>memory.fill</c>, passive segments, <c>table.copy</c>, ...</summary>
    BulkMemory = 1 << 4,

    /// <summary><c>externref</c>, multiple tables, <c>ref.*</c> and <c>table.*</c> instructions.</summary>
    ReferenceTypes = 1 << 5,

    /// <summary><c>return_call</c> and <c>return_call_indirect</c>.</summary>
    TailCall = 1 << 6,

    /// <summary>128-bit SIMD. Not implemented: a module using it is rejected as an unsupported feature.</summary>
    Simd = 1 << 7,

    /// <summary>The WebAssembly 2.0 core without SIMD.</summary>
    Wasm2 = MutableGlobals | SignExtension | SaturatingFloatToInt | MultiValue | BulkMemory | ReferenceTypes,

    /// <summary>What an engine accepts unless configured otherwise: WebAssembly 2.0 (no SIMD) plus tail calls.</summary>
    Default = Wasm2 | TailCall,
}
