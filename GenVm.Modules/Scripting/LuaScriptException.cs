namespace GenVm.Modules.Scripting;

/// <summary>
/// A script failure that is not a module error (Lua runtime error, bad return value, failing host call): always
/// fatal (modules.md §2.3, §5.6).
/// </summary>
internal sealed class LuaScriptException : Exception
{
    public LuaScriptException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
