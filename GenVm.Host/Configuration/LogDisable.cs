namespace GenVm.Host.Configuration;

/// <summary>
/// The <c>log_disable</c> key of every YAML config (config.md §5.2): a comma-separated list of log targets whose records
/// are dropped. <c>x*</c> disables target <c>x</c> and every target below it, <c>x::*</c> only the targets below
/// <c>x</c>, a plain entry that target alone. Our targets are logger categories (dotted .NET names such as
/// <c>GenVm.Host.Verbs.RunVerb</c>): <c>::</c> and <c>.</c> both separate levels, and names compare case-insensitively
/// like the <c>Logging:LogLevel</c> rules (docs/decisions.md "log_disable, threads, blocking_threads").
/// </summary>
internal sealed class LogDisable
{
    private readonly string[] _exact;
    private readonly string[] _below;

    private LogDisable(string[] exact, string[] below)
    {
        _exact = exact;
        _below = below;
    }

    /// <summary>Disables nothing (an absent or empty key).</summary>
    public static LogDisable None { get; } = new([], []);

    /// <summary>True when no target is disabled.</summary>
    public bool IsEmpty => _exact.Length == 0 && _below.Length == 0;

    /// <summary>Parses the key's value; null or blank disables nothing. Blank entries (<c>a,,b</c>) are skipped.</summary>
    public static LogDisable Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return None;
        }

        var exact = new List<string>();
        var below = new List<string>();
        foreach (var raw in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var entry = Normalise(raw);
            if (entry.EndsWith(".*", StringComparison.Ordinal))
            {
                below.Add(entry[..^1]);
            }
            else if (entry.EndsWith('*'))
            {
                exact.Add(entry[..^1]);
                below.Add(entry[..^1] + ".");
            }
            else
            {
                exact.Add(entry);
            }
        }

        return new LogDisable([.. exact], [.. below]);
    }

    /// <summary>Whether records of <paramref name="category"/> are dropped.</summary>
    public bool Disables(string category)
    {
        if (IsEmpty)
        {
            return false;
        }

        var name = Normalise(category);
        foreach (var exact in _exact)
        {
            if (string.Equals(name, exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var prefix in _below)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // The reference's Rust paths (genvm::rt::memlimiter) and our dotted categories name levels alike.
    private static string Normalise(string target) => target.Replace("::", ".", StringComparison.Ordinal);
}
