namespace GenVm.Modules.Scripting;

/// <summary>
/// A native function callable from Lua. Returns the result as data (see <see cref="LuaValues.Push"/>); throws
/// <see cref="LuaModuleError"/> to raise a module error or any other exception to raise a plain (fatal) error. An
/// unfinished task suspends the script's coroutine until it completes, so host I/O never blocks a thread.
/// </summary>
internal delegate ValueTask<object?> LuaHostFunction(LuaHostCall call);
