using System.Runtime.InteropServices;

namespace GenVm.Modules.Scripting;

/// <summary>The few Lua C API entries KeraLua does not wrap, called on the same native library.</summary>
internal static partial class LuaNative
{
    private const string Library = "lua54";

    /// <summary><c>lua_isyieldable</c>.</summary>
    [LibraryImport(Library, EntryPoint = "lua_isyieldable")]
    public static partial int IsYieldable(IntPtr state);

    /// <summary><c>lua_yieldk</c> with no continuation; only ever called from a count hook, where it returns.</summary>
    [LibraryImport(Library, EntryPoint = "lua_yieldk")]
    public static partial int Yield(IntPtr state, int results, IntPtr context, IntPtr continuation);
}
