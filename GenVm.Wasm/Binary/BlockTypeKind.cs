namespace GenVm.Wasm.Binary;

/// <summary>How a block type is encoded (Binary format §5.4.1).</summary>
internal enum BlockTypeKind : byte
{
    /// <summary><c>0x40</c>: no parameters, no results.</summary>
    Empty,

    /// <summary>A single value type: no parameters, one result.</summary>
    Value,

    /// <summary>A type index (multi-value): the parameters and results of that function type.</summary>
    TypeIndex,
}
