namespace GenVm.Wasm;

/// <summary>
/// Why guest execution trapped. Names follow wasmtime's <c>Trap</c> variants so that the executor's
/// <c>wasm_trap &lt;Name&gt;</c> strings match the reference (wasm-abi.md §14).
/// </summary>
public enum TrapCode
{
    /// <summary>The call stack (frame depth or native stack budget) was exhausted.</summary>
    StackOverflow,

    /// <summary>Out-of-bounds linear memory access.</summary>
    MemoryOutOfBounds,

    /// <summary>Misaligned atomic access (unused without threads).</summary>
    HeapMisaligned,

    /// <summary>Out-of-bounds table access (including <c>call_indirect</c> past the end).</summary>
    TableOutOfBounds,

    /// <summary><c>call_indirect</c> through a null table element.</summary>
    IndirectCallToNull,

    /// <summary><c>call_indirect</c> signature mismatch.</summary>
    BadSignature,

    /// <summary>Integer overflow (signed division, float-to-int out of range).</summary>
    IntegerOverflow,

    /// <summary>Integer division or remainder by zero.</summary>
    IntegerDivisionByZero,

    /// <summary>Float-to-int conversion of NaN.</summary>
    BadConversionToInteger,

    /// <summary>The <c>unreachable</c> instruction was executed.</summary>
    UnreachableCodeReached,

    /// <summary>Execution was interrupted by the embedder (store interrupt / cancellation).</summary>
    Interrupt,

    /// <summary>Instruction metering ran out of fuel.</summary>
    OutOfFuel,

    /// <summary>A null reference was dereferenced (e.g. <c>call_ref</c> on null).</summary>
    NullReference,

    /// <summary>A float instruction executed in deterministic mode with the <c>trap</c> float policy.</summary>
    DeterministicMode,
}
