namespace GenVm.Modules.Scripting;

/// <summary>A Lua value with no data counterpart (function, userdata, thread), read for logging only.</summary>
/// <param name="TypeName">The Lua type name.</param>
internal sealed record LuaOpaque(string TypeName);
