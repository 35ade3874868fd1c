namespace GenVm.Wasm;

/// <summary>The type of a global.</summary>
/// <param name="Kind">Value type.</param>
/// <param name="Mutable">Whether <c>global.set</c> is allowed.</param>
public sealed record GlobalType(ValueKind Kind, bool Mutable);
