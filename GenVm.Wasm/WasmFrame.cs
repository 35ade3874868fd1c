namespace GenVm.Wasm;

/// <summary>One wasm frame of a trap backtrace.</summary>
/// <param name="ModuleName">The module's name (name section, or the name given at load), if any.</param>
/// <param name="FunctionIndex">Index in the module's function index space.</param>
/// <param name="FunctionName">The function's name from the name section, if any.</param>
/// <param name="CodeOffset">Byte offset of the instruction in the module binary, if known.</param>
public sealed record WasmFrame(string? ModuleName, uint FunctionIndex, string? FunctionName, int? CodeOffset)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{ModuleName ?? "<module>"}!{FunctionName ?? $"<wasm function {FunctionIndex}>"}" + (CodeOffset is int o ? $" @ 0x{o:x}" : string.Empty);
}
