namespace GenVm.Wasm.Binary;

/// <summary>One entry of the import section.</summary>
/// <param name="ModuleName">Import module name.</param>
/// <param name="Name">Import field name.</param>
/// <param name="Kind">What is imported.</param>
/// <param name="FunctionTypeIndex">For functions: the type index (else 0).</param>
/// <param name="Type">The resolved <see cref="FuncType"/>, <see cref="TableType"/>, <see cref="MemoryType"/> or <see cref="GlobalType"/>.</param>
internal sealed record ImportDefinition(string ModuleName, string Name, ExternKind Kind, uint FunctionTypeIndex, object Type);
