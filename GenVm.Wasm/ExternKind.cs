namespace GenVm.Wasm;

/// <summary>The kind of an import or export. Numeric values are the binary-format codes.</summary>
public enum ExternKind : byte
{
    /// <summary>A function.</summary>
    Func = 0,

    /// <summary>A table.</summary>
    Table = 1,

    /// <summary>A linear memory.</summary>
    Memory = 2,

    /// <summary>A global.</summary>
    Global = 3,
}
