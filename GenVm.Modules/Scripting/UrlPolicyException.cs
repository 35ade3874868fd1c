namespace GenVm.Modules.Scripting;

/// <summary>A connection refused by the URL policy at connect time (the resolved address), carrying the module error.</summary>
internal sealed class UrlPolicyException : IOException
{
    public UrlPolicyException(LuaModuleError error)
        : base(error.Message)
    {
        Error = error;
    }

    /// <summary>The error to raise in the script.</summary>
    public LuaModuleError Error { get; }
}
