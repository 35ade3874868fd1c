namespace GenVm.Wasm;

/// <summary>Human text of each trap code, worded as the WebAssembly spec test suite words them.</summary>
public static class TrapMessages
{
    /// <summary>The spec-suite wording for a trap code (assert_trap compares by prefix).</summary>
    public static string Describe(TrapCode code) => code switch
    {
        TrapCode.StackOverflow => "call stack exhausted",
        TrapCode.MemoryOutOfBounds => "out of bounds memory access",
        TrapCode.HeapMisaligned => "misaligned memory access",
        TrapCode.TableOutOfBounds => "out of bounds table access",
        TrapCode.IndirectCallToNull => "uninitialized element",
        TrapCode.BadSignature => "indirect call type mismatch",
        TrapCode.IntegerOverflow => "integer overflow",
        TrapCode.IntegerDivisionByZero => "integer divide by zero",
        TrapCode.BadConversionToInteger => "invalid conversion to integer",
        TrapCode.UnreachableCodeReached => "unreachable",
        TrapCode.Interrupt => "interrupt",
        TrapCode.OutOfFuel => "all fuel consumed",
        TrapCode.NullReference => "null reference",
        TrapCode.DeterministicMode => "float instruction in deterministic mode",
        _ => code.ToString(),
    };
}
