namespace GenVm.Wasm;

/// <summary>What compiled code does with the float instructions wasm-abi.md §10 lists.</summary>
public enum FloatPolicy
{
    /// <summary>Plain WebAssembly semantics (non-det VMs): hardware results, NaN bit patterns unspecified.</summary>
    Native,

    /// <summary>Each listed instruction traps <see cref="TrapCode.DeterministicMode"/> when executed (wasm-abi.md §10).</summary>
    Trap,

    /// <summary>
    /// Each listed instruction gives exactly the result of the reference's soft-float rewrite (python-sdk.md §20.3:
    /// Berkeley SoftFloat 3e, default NaN, saturating float→int conversions); <c>trunc</c>, <c>nearest</c>,
    /// <c>min</c>, <c>max</c> and <c>copysign</c> give their WebAssembly results with NaN canonicalised
    /// (docs/decisions.md, "softfloat float policy").
    /// </summary>
    SoftFloat,
}
