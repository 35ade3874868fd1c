namespace GenVm.Wasm;

/// <summary>The module is well-formed but invalid (the spec's "assert_invalid" class), or uses an unsupported feature.</summary>
public sealed class ModuleValidationException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">The spec's wording where it has one (e.g. "type mismatch").</param>
    /// <param name="functionIndex">The function being validated, if any.</param>
    /// <param name="offset">Byte offset in the module binary, if known.</param>
    public ModuleValidationException(string reason, uint? functionIndex = null, long? offset = null)
        : base(Format(reason, functionIndex, offset))
    {
        Reason = reason;
        FunctionIndex = functionIndex;
        Offset = offset;
    }

    /// <summary>The reason alone.</summary>
    public string Reason { get; }

    /// <summary>Index of the function whose body is invalid, if the error is in a body.</summary>
    public uint? FunctionIndex { get; }

    /// <summary>Byte offset in the module binary, if known.</summary>
    public long? Offset { get; }

    private static string Format(string reason, uint? functionIndex, long? offset) =>
        reason + (functionIndex is uint f ? $" (in function {f}" + (offset is long o ? $" at offset 0x{o:x})" : ")") : offset is long o2 ? $" (at offset 0x{o2:x})" : string.Empty);
}
