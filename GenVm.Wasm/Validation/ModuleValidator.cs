using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Validation;

/// <summary>Checks a decoded module against the spec's validation rules. (Being written: engine validator work.)</summary>
internal static class ModuleValidator
{
    /// <summary>Throws <see cref="ModuleValidationException"/> when the module is invalid.</summary>
    public static void Validate(ModuleDefinition module, WasmFeatures features) =>
        throw new NotImplementedException("validator not written yet");
}
