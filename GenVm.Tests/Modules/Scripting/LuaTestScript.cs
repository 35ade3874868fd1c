using GenVm.Modules.Scripting;

namespace GenVm.Tests.Modules.Scripting;

/// <summary>Writes a Lua script (and optional library files) to a temporary directory and loads it into a state.</summary>
internal sealed class LuaTestScript : IDisposable
{
    private LuaTestScript(string directory) => Directory = directory;

    /// <summary>The temporary directory holding the script and its libraries.</summary>
    public string Directory { get; }

    /// <summary>The main script's path.</summary>
    public string ScriptPath => Path.Combine(Directory, "main.lua");

    /// <summary>A <c>lua_path</c> that finds the libraries written next to the script.</summary>
    public string LuaPath => Path.Combine(Directory, "?.lua");

    public static LuaTestScript Write(string main, params (string Name, string Text)[] libraries)
    {
        var directory = Path.Combine(Path.GetTempPath(), "genvm-lua-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "main.lua"), main);
        foreach (var (name, text) in libraries)
        {
            File.WriteAllText(Path.Combine(directory, name + ".lua"), text);
        }

        return new LuaTestScript(directory);
    }

    public LuaScriptSource Source => new(ScriptPath, LuaPath, "genvm-llm-default.lua");

    public Task<LuaScriptState> CreateStateAsync(LuaBindings? bindings = null)
        => LuaScriptState.CreateAsync(Source, bindings ?? new LuaBindings(), CancellationToken.None);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
