namespace GenVm.Wasm.Compilation;

/// <summary>
/// An i32 value of a loop body as an integer expression <c>Σ coef·term + Constant</c> with non-negative
/// coefficients. A term is a wasm local's value at loop entry (key = local index) or an induction variable's
/// advance <c>step·n</c> after n iterations (key = <see cref="AdvanceKey"/>). The form is the value's exact
/// mathematical meaning modulo 2^32 (add, sub, mul and shl are ring operations), so whenever the mathematical value
/// lies in [0, 2^32) the i32 the code computes is exactly that value; <see cref="LoopVersioning"/> relies on this.
/// </summary>
internal sealed class LinearForm
{
    private const long MaxCoefficient = 1 << 16;
    private const long MaxConstant = 1L << 34;
    private const int MaxTerms = 8;

    private LinearForm(KeyValuePair<int, long>[] terms, long constant)
    {
        Terms = terms;
        Constant = constant;
    }

    /// <summary>Terms sorted by key; every coefficient is positive.</summary>
    public KeyValuePair<int, long>[] Terms { get; }

    public long Constant { get; }

    /// <summary>The term key standing for induction variable <paramref name="local"/>'s advance since loop entry.</summary>
    public static int AdvanceKey(int local) => -1 - local;

    public static LinearForm Const(int value) => new([], (uint)value);

    public static LinearForm Term(int key) => new([new(key, 1)], 0);

    /// <summary>The sum, or null when it leaves the tracked range.</summary>
    public LinearForm? Add(LinearForm other)
    {
        var merged = new SortedDictionary<int, long>();
        foreach (var (key, coefficient) in Terms)
        {
            merged[key] = coefficient;
        }

        foreach (var (key, coefficient) in other.Terms)
        {
            merged[key] = merged.GetValueOrDefault(key) + coefficient;
        }

        return Make([.. merged], Constant + other.Constant);
    }

    /// <summary>This form plus a constant (negative for <c>i32.sub</c> of a constant), or null out of range.</summary>
    public LinearForm? AddConstant(long value) => Make(Terms, Constant + value);

    /// <summary>This form times a non-negative constant, or null out of range.</summary>
    public LinearForm? Scale(long factor)
    {
        if (factor is < 0 or > MaxCoefficient)
        {
            return null;
        }

        if (factor == 0)
        {
            return new LinearForm([], 0);
        }

        return Make([.. Terms.Select(t => new KeyValuePair<int, long>(t.Key, t.Value * factor))], Constant * factor);
    }

    /// <summary>Whether the form is exactly <c>term(key1) + term(key2) + constant</c>.</summary>
    public bool IsPair(int key1, int key2, long constant) =>
        Terms.Length == 2 && Constant == constant
        && Terms.Any(t => t.Key == key1 && t.Value == 1) && Terms.Any(t => t.Key == key2 && t.Value == 1);

    /// <summary>The terms as a grouping key (two forms with the same key differ only in their constant).</summary>
    public string TermKey => string.Join(',', Terms.Select(t => $"{t.Key}*{t.Value}"));

    private static LinearForm? Make(KeyValuePair<int, long>[] terms, long constant)
    {
        if (terms.Length > MaxTerms || Math.Abs(constant) > MaxConstant || terms.Any(t => t.Value > MaxCoefficient))
        {
            return null;
        }

        return new LinearForm(terms, constant);
    }
}
