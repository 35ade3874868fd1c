namespace GenVm.Wasm.Binary;

/// <summary>The block type immediate of <c>block</c>, <c>loop</c> and <c>if</c>.</summary>
/// <param name="Kind">Which encoding was used.</param>
/// <param name="ValueType">The result type when <see cref="Kind"/> is <see cref="BlockTypeKind.Value"/>.</param>
/// <param name="TypeIndex">The function type index when <see cref="Kind"/> is <see cref="BlockTypeKind.TypeIndex"/>.</param>
internal readonly record struct BlockType(BlockTypeKind Kind, ValueKind ValueType, uint TypeIndex)
{
    /// <summary>The empty block type.</summary>
    public static BlockType Empty => default;

    /// <summary>Number of parameters, given the module's types (0 unless a type index).</summary>
    public int ParameterCount(IReadOnlyList<FuncType> types) =>
        Kind == BlockTypeKind.TypeIndex ? types[(int)TypeIndex].Parameters.Length : 0;

    /// <summary>Number of results, given the module's types.</summary>
    public int ResultCount(IReadOnlyList<FuncType> types) => Kind switch
    {
        BlockTypeKind.Empty => 0,
        BlockTypeKind.Value => 1,
        _ => types[(int)TypeIndex].Results.Length,
    };
}
