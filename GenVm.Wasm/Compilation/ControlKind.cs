namespace GenVm.Wasm.Compilation;

/// <summary>The kind of a control frame.</summary>
internal enum ControlKind
{
    Function,
    Block,
    Loop,
    If,
}
