namespace GenVm.Wasm.Runtime;

/// <summary>Import subtyping as the spec defines it for linking ("incompatible import type" otherwise).</summary>
internal static class ImportMatcher
{
    public static bool Matches(ImportDescriptor import, object item) => (import.Kind, item) switch
    {
        (ExternKind.Func, Func f) => f.Type.Equals((FuncType)import.Type),
        (ExternKind.Table, Table t) => MatchesTable((TableType)import.Type, t),
        (ExternKind.Memory, Memory m) => MatchesLimits(((MemoryType)import.Type).Limits, m.PageCount, m.Type.Limits.Maximum),
        (ExternKind.Global, Global g) => g.Type.Kind == ((GlobalType)import.Type).Kind && g.Type.Mutable == ((GlobalType)import.Type).Mutable,
        _ => false,
    };

    private static bool MatchesTable(TableType expected, Table actual) =>
        expected.ElementKind == actual.Type.ElementKind && MatchesLimits(expected.Limits, actual.Size, actual.Type.Limits.Maximum);

    // The actual current size must be at least the import's minimum; if the import has a maximum, the actual
    // object must have one no larger.
    private static bool MatchesLimits(Limits expected, uint actualSize, uint? actualMaximum) =>
        actualSize >= expected.Minimum && (expected.Maximum is not uint max || (actualMaximum is uint am && am <= max));
}
