namespace GenVm.Wasm;

/// <summary>One import of a module.</summary>
/// <param name="ModuleName">The import's module name.</param>
/// <param name="Name">The import's field name.</param>
/// <param name="Kind">What is imported.</param>
/// <param name="Type">A <see cref="FuncType"/>, <see cref="TableType"/>, <see cref="MemoryType"/> or <see cref="GlobalType"/>.</param>
public sealed record ImportDescriptor(string ModuleName, string Name, ExternKind Kind, object Type);
