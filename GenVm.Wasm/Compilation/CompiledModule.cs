namespace GenVm.Wasm.Compilation;

/// <summary>The compiled form of a module: generated .NET code plus metadata. (Being written: engine compiler work.)</summary>
internal sealed class CompiledModule
{
}
