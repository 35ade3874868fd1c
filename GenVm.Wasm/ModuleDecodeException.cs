namespace GenVm.Wasm;

/// <summary>The module binary is malformed (the spec's "assert_malformed" class of errors).</summary>
public sealed class ModuleDecodeException : WasmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, in the spec's words where it has them (e.g. "unexpected end").</param>
    /// <param name="offset">Byte offset in the module binary.</param>
    public ModuleDecodeException(string message, long offset)
        : base($"{message} (at offset 0x{offset:x})")
    {
        Reason = message;
        Offset = offset;
    }

    /// <summary>The reason without the offset.</summary>
    public string Reason { get; }

    /// <summary>Byte offset in the module binary where decoding failed.</summary>
    public long Offset { get; }
}
