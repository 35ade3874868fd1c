using System.Reflection;

namespace GenVm.Modules.Scripting;

/// <summary>
/// Where a module's main script and libraries come from (modules.md §3.2, §4.2 <c>lua_script_path</c>,
/// <c>lua_path</c>). An empty script path selects our embedded default script.
/// </summary>
/// <param name="ScriptPath">The main script file, or empty for <paramref name="DefaultScript"/>.</param>
/// <param name="LuaPath"><c>;</c>-separated <c>?.lua</c> patterns used verbatim as <c>package.path</c>.</param>
/// <param name="DefaultScript">Embedded script used when <paramref name="ScriptPath"/> is empty.</param>
internal sealed record LuaScriptSource(string ScriptPath, string LuaPath, string DefaultScript)
{
    /// <summary>Libraries <c>require</c> finds when <c>lua_path</c> does not (our own versions, modules.md §5.3).</summary>
    public static IReadOnlyList<string> EmbeddedLibraries { get; } = ["lib-genvm", "lib-llm", "lib-web"];

    /// <summary>The text of an embedded file (<c>prelude.lua</c>, a library, a default script), or null.</summary>
    public static byte[]? Embedded(string fileName)
    {
        using var stream = typeof(LuaScriptSource).Assembly.GetManifestResourceStream("genvm-lua/" + fileName);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The main script's chunk name and bytes.</summary>
    /// <exception cref="LuaScriptException">The file cannot be read.</exception>
    public (string ChunkName, byte[] Text) LoadMain()
    {
        if (ScriptPath.Length == 0)
        {
            return ("=" + DefaultScript, Embedded(DefaultScript) ?? throw new LuaScriptException($"embedded script {DefaultScript} missing"));
        }

        try
        {
            return ("@" + ScriptPath, File.ReadAllBytes(ScriptPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LuaScriptException($"reading lua_script_path {ScriptPath}: {e.Message}", e);
        }
    }

    /// <summary>Every embedded resource name (for tests and the install layout).</summary>
    internal static IEnumerable<string> EmbeddedNames()
        => Assembly.GetExecutingAssembly().GetManifestResourceNames().Where(n => n.StartsWith("genvm-lua/", StringComparison.Ordinal));
}
