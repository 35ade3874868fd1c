namespace GenVm.Tests.Wasm.Spec;

/// <summary>The host object behind the script syntax <c>ref.extern N</c>: equal when the numbers are equal.</summary>
/// <param name="Number">The <c>N</c> of <c>ref.extern N</c>.</param>
internal sealed record SpecExternRef(uint Number)
{
    /// <inheritdoc />
    public override string ToString() => $"ref.extern {Number}";
}
