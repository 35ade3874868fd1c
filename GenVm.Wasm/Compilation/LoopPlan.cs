using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// What <see cref="LoopVersioning"/> proved about one innermost loop: the loop runs iterations n = 0..nMax, where nMax
/// follows from the counter's entry value, its step and the exit test; and for every access in
/// <see cref="UncheckedAccesses"/> the effective address (plus the access size) is covered by one of
/// <see cref="Checks"/> for every n in that range. The compiler tests the guards once before the loop and runs a copy of
/// the loop without those accesses' bounds checks when they hold, the ordinary copy otherwise.
/// </summary>
internal sealed class LoopPlan
{
    /// <summary>The controlling induction variable (a wasm local index).</summary>
    public required int Counter { get; init; }

    /// <summary>Its step per iteration (positive).</summary>
    public required long Step { get; init; }

    /// <summary>The exit test (after the step): <c>i32.ne</c>, <c>i32.lt_u</c> or <c>i32.lt_s</c> of counter and limit.</summary>
    public required Opcode Compare { get; init; }

    /// <summary>The loop-invariant limit the counter is compared with (terms are entry values of unwritten locals).</summary>
    public required LinearForm Limit { get; init; }

    /// <summary>
    /// Each guard: <c>Σ coef·(u32 local at entry) + Slope·nMax + Extent &lt;= memory length</c>, in 64 bits.
    /// </summary>
    public required IReadOnlyList<(KeyValuePair<int, long>[] Terms, long Slope, long Extent)> Checks { get; init; }

    /// <summary>Wasm code offsets of the loads and stores whose check the guarded copy omits.</summary>
    public required HashSet<int> UncheckedAccesses { get; init; }
}
