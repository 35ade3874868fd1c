namespace GenVm.Core.Calldata;

/// <summary>A calldata boolean (<c>08</c> false, <c>10</c> true, calldata.md §3.1). Use <see cref="CalldataValue.FromBool"/>.</summary>
public sealed class CalldataBool : CalldataValue
{
    internal static readonly CalldataBool TrueValue = new(true);
    internal static readonly CalldataBool FalseValue = new(false);

    private CalldataBool(bool value) => Value = value;

    /// <inheritdoc/>
    public override CalldataKind Kind => CalldataKind.Bool;

    /// <summary>The boolean.</summary>
    public bool Value { get; }
}
