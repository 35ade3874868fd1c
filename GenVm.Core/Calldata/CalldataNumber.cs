using System.Numerics;

namespace GenVm.Core.Calldata;

/// <summary>An arbitrary-precision signed integer (calldata.md §3.2).</summary>
public sealed class CalldataNumber : CalldataValue
{
    // Shared instances for the most frequent small values (immutable, so sharing is invisible).
    private const int CacheMin = -16;
    private const int CacheMax = 255;
    private static readonly CalldataNumber[] Cache = CreateCache();

    /// <summary>Creates a number value.</summary>
    public CalldataNumber(BigInteger value) => Value = value;

    /// <inheritdoc/>
    public override CalldataKind Kind => CalldataKind.Number;

    /// <summary>The integer.</summary>
    public BigInteger Value { get; }

    /// <summary>Returns a number value, shared for small integers.</summary>
    internal static CalldataNumber Get(long value)
        => value is >= CacheMin and <= CacheMax ? Cache[value - CacheMin] : new CalldataNumber(value);

    private static CalldataNumber[] CreateCache()
    {
        var cache = new CalldataNumber[CacheMax - CacheMin + 1];
        for (var i = 0; i < cache.Length; i++)
        {
            cache[i] = new CalldataNumber(i + CacheMin);
        }

        return cache;
    }
}
