namespace GenVm.Wasm.Binary;

/// <summary>A defined global: its type and constant initialiser.</summary>
internal sealed record GlobalDefinition(GlobalType Type, ConstExpr Init);
