namespace GenVm.Core.Calldata;

/// <summary>The calldata null value (encoded <c>00</c>, calldata.md §3.1). Use <see cref="CalldataValue.Null"/>.</summary>
public sealed class CalldataNull : CalldataValue
{
    internal static readonly CalldataNull Instance = new();

    private CalldataNull()
    {
    }

    /// <inheritdoc/>
    public override CalldataKind Kind => CalldataKind.Null;
}
