namespace GenVm.Host.Verbs;

/// <summary>The command-line convention every verb follows: <c>--name=value</c> is the same as <c>--name value</c>.</summary>
internal static class OptionToken
{
    /// <summary>
    /// Splits <paramref name="arg"/> into its option name and inline value (<c>--print=result</c> → <c>--print</c>,
    /// <c>result</c>); anything else comes back unchanged with no inline value.
    /// </summary>
    public static (string Name, string? Inline) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0
            ? (arg[..equals], arg[(equals + 1)..])
            : (arg, null);
    }
}
