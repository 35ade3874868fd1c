namespace GenVm.Core.Calldata;

/// <summary>A 20-octet address value (SPECIAL <c>18</c>, calldata.md §3.1).</summary>
public sealed class CalldataAddress : CalldataValue
{
    /// <summary>Creates an address value.</summary>
    public CalldataAddress(Address value) => Value = value;

    /// <inheritdoc/>
    public override CalldataKind Kind => CalldataKind.Address;

    /// <summary>The address.</summary>
    public Address Value { get; }
}
