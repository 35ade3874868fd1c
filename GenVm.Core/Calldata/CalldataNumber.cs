using System.Numerics;

namespace GenVm.Core.Calldata;

/// <summary>An arbitrary-precision signed integer (calldata.md §3.2).</summary>
public sealed class CalldataNumber : CalldataValue
{
    /// <summary>Creates a number value.</summary>
    public CalldataNumber(BigInteger value) => Value = value;

    /// <inheritdoc/>
    public override CalldataKind Kind => CalldataKind.Number;

    /// <summary>The integer.</summary>
    public BigInteger Value { get; }
}
