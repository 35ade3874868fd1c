namespace GenVm.Wasm;

/// <summary>The type of a table: element reference type and limits in elements.</summary>
/// <param name="ElementKind"><see cref="ValueKind.FuncRef"/> or <see cref="ValueKind.ExternRef"/>.</param>
/// <param name="Limits">Element-count limits.</param>
public sealed record TableType(ValueKind ElementKind, Limits Limits);
