namespace GenVm.Wasm;

/// <summary>One export of a module.</summary>
/// <param name="Name">The export name.</param>
/// <param name="Kind">What is exported.</param>
/// <param name="Index">Index in the module's index space of that kind (imports first).</param>
public sealed record ExportDescriptor(string Name, ExternKind Kind, uint Index);
