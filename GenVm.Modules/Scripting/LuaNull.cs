namespace GenVm.Modules.Scripting;

/// <summary>
/// The <c>null</c> sentinel that stands for an absent optional payload field (modules.md §5.1): a light userdata in
/// Lua (the null pointer), distinct from <c>nil</c>.
/// </summary>
internal sealed class LuaNull
{
    private LuaNull()
    {
    }

    /// <summary>The single instance.</summary>
    public static LuaNull Instance { get; } = new();
}
