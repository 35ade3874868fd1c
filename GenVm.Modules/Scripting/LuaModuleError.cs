namespace GenVm.Modules.Scripting;

/// <summary>
/// A module error (modules.md §2.3): <c>{causes, fatal, ctx}</c>. Thrown by host functions to raise it in Lua, and
/// read back when a script ends with one. <see cref="Exception.Message"/> is the causes and the context as compact
/// JSON, which is the <c>FatalError</c> text of a fatal one (docs/decisions.md "Lua: fatal error text").
/// </summary>
internal sealed class LuaModuleError : Exception
{
    public LuaModuleError(IReadOnlyList<string> causes, bool fatal, LuaTableValue? context)
        : base(Describe(causes, context))
    {
        Causes = causes;
        Fatal = fatal;
        Context = context ?? new LuaTableValue();
    }

    /// <summary>Cause tags, outermost first.</summary>
    public IReadOnlyList<string> Causes { get; }

    /// <summary>Whether the error aborts the execution.</summary>
    public bool Fatal { get; }

    /// <summary>The <c>ctx</c> table.</summary>
    public LuaTableValue Context { get; }

    /// <summary>One cause with a context built from pairs (values as accepted by the pusher).</summary>
    public static LuaModuleError Create(string cause, bool fatal, params (string Key, object? Value)[] context)
    {
        var table = new LuaTableValue();
        foreach (var (k, v) in context)
        {
            table.Add(k, v);
        }

        return new LuaModuleError([cause], fatal, table);
    }

    private static string Describe(IReadOnlyList<string> causes, LuaTableValue? context)
    {
        var text = string.Join(", ", causes);
        return context is { Count: > 0 } ? text + ": " + LuaJson.Stringify(context) : text;
    }
}
