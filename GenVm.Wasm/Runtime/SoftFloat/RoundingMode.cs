namespace GenVm.Wasm.Runtime.SoftFloat;

/// <summary>
/// SoftFloat 3e's <c>softfloat_round_*</c> values, as the reference's rewriter passes them to <c>fNN_roundToInt</c> and
/// <c>fNN_to_iMM</c> (python-sdk.md §20.3: minMag for truncations, min for floor, max for ceil).
/// </summary>
/// <remarks>
/// The reference builds SoftFloat without <c>SOFTFLOAT_ROUND_ODD</c>, so <c>round_odd</c> (6) and every other value
/// fall through SoftFloat's mode tests and truncate like <see cref="MinMag"/>; our methods do the same.
/// </remarks>
public static class RoundingMode
{
    /// <summary><c>softfloat_round_near_even</c>: to nearest, ties to even.</summary>
    public const int NearEven = 0;

    /// <summary><c>softfloat_round_minMag</c>: toward zero.</summary>
    public const int MinMag = 1;

    /// <summary><c>softfloat_round_min</c>: toward −∞.</summary>
    public const int Min = 2;

    /// <summary><c>softfloat_round_max</c>: toward +∞.</summary>
    public const int Max = 3;

    /// <summary><c>softfloat_round_near_maxMag</c>: to nearest, ties away from zero.</summary>
    public const int NearMaxMag = 4;
}
