namespace GenVm.Wasm.Binary;

/// <summary>Decodes a module binary into a <see cref="ModuleDefinition"/>. (Being written: engine decoder work.)</summary>
internal static class ModuleDecoder
{
    /// <summary>Decodes every section. Throws <see cref="ModuleDecodeException"/> for malformed input.</summary>
    public static ModuleDefinition Decode(ReadOnlySpan<byte> wasm, WasmFeatures features) =>
        throw new NotImplementedException("decoder not written yet");
}
