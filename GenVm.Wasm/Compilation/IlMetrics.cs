namespace GenVm.Wasm.Compilation;

/// <summary>
/// The quantities RyuJIT compares with its full-optimisation thresholds before compiling a method (compiler.cpp,
/// <c>compSetOptimizationLevel</c>): beyond any of them the method is compiled with MinOpts.
/// </summary>
/// <param name="Instructions">IL instructions (<c>DEFAULT_MIN_OPTS_INSTR_COUNT</c> 20,000).</param>
/// <param name="LocalRefs">ldloc/stloc/ldarg/starg (and address forms) (<c>DEFAULT_MIN_OPTS_LV_REF_COUNT</c> 8,000).</param>
/// <param name="Blocks">An upper bound of the basic blocks: marked labels plus block-ending instructions (<c>DEFAULT_MIN_OPTS_BB_COUNT</c> 2,000).</param>
/// <param name="Bytes">IL size in bytes (<c>DEFAULT_MIN_OPTS_CODE_SIZE</c> 60,000).</param>
/// <param name="Locals">IL locals declared (<c>DEFAULT_MIN_OPTS_LV_NUM_COUNT</c> 2,000, arguments and JIT temps come on top).</param>
internal readonly record struct IlMetrics(int Instructions, int LocalRefs, int Blocks, int Bytes, int Locals)
{
    /// <summary>RyuJIT's thresholds.</summary>
    public static readonly IlMetrics JitLimits = new(20_000, 8_000, 2_000, 60_000, 2_000);

    public static IlMetrics operator +(IlMetrics a, IlMetrics b) =>
        new(a.Instructions + b.Instructions, a.LocalRefs + b.LocalRefs, a.Blocks + b.Blocks, a.Bytes + b.Bytes, a.Locals + b.Locals);

    public static IlMetrics operator -(IlMetrics a, IlMetrics b) =>
        new(a.Instructions - b.Instructions, a.LocalRefs - b.LocalRefs, a.Blocks - b.Blocks, a.Bytes - b.Bytes, a.Locals - b.Locals);

    /// <summary>The largest ratio of a quantity to its JIT limit: above 1 the method is compiled with MinOpts.</summary>
    public double Load => Math.Max(
        Math.Max(Math.Max((double)Instructions / JitLimits.Instructions, (double)LocalRefs / JitLimits.LocalRefs),
            Math.Max((double)Blocks / JitLimits.Blocks, (double)Bytes / JitLimits.Bytes)),
        (double)Locals / JitLimits.Locals);

    /// <summary>Whether RyuJIT would compile a method of this size with MinOpts (a small margin for arguments and JIT temps).</summary>
    public bool ExceedsJitLimits =>
        Instructions > JitLimits.Instructions || LocalRefs > JitLimits.LocalRefs || Blocks > JitLimits.Blocks
        || Bytes > JitLimits.Bytes || Locals + 16 > JitLimits.Locals;
}
