using GenVm.Core.Protocol;

namespace GenVm.Host.Verbs;

/// <summary>The <c>--permissions</c> option of <c>run</c> and <c>exec</c>: the letters of host-protocol.md §1.1.</summary>
internal static class PermissionsOption
{
    /// <summary>Every permission letter, in the order the error message lists them.</summary>
    public const string Letters = Permission.Read + Permission.Write + Permission.Send + Permission.Call + Permission.Nondet;

    /// <summary>
    /// Null when <paramref name="text"/> uses known letters at most once each; otherwise the one-line error (§1.1: any
    /// other letter or a repeated one is a start-up error).
    /// </summary>
    public static string? Problem(string text)
        => text.All(c => Letters.Contains(c, StringComparison.Ordinal)) && text.Distinct().Count() == text.Length
            ? null
            : $"Invalid permissions `{text}`: use each of the letters {Letters} at most once";
}
