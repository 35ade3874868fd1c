namespace GenVm.Modules.Web;

/// <summary>The built-in TLD allow-list (modules.md §4.3), loaded once from the embedded <c>tlds.txt</c>.</summary>
internal static class TopLevelDomains
{
    private static readonly Lazy<HashSet<string>> Set = new(Load);

    /// <summary>The built-in labels (lower-case ASCII).</summary>
    public static IReadOnlySet<string> BuiltIn => Set.Value;

    private static HashSet<string> Load()
    {
        using var stream = typeof(TopLevelDomains).Assembly.GetManifestResourceStream("genvm-web/tlds.txt")
            ?? throw new InvalidOperationException("embedded tlds.txt missing");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line);
            }
        }

        return set;
    }
}
