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

    /// <summary>
    /// The policy error anywhere in <paramref name="e"/>'s inner chain: HttpClient wraps what the connect callback threw,
    /// and the script must see the policy's own error, not a generic connection failure.
    /// </summary>
    public static LuaModuleError? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is UrlPolicyException p)
            {
                return p.Error;
            }
        }

        return null;
    }
}
