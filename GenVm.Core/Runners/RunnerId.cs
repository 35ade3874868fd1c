namespace GenVm.Core.Runners;

/// <summary>
/// A runner reference <c>&lt;id&gt;:&lt;hash&gt;</c> (runners.md §5): exactly one <c>:</c>, id characters
/// <c>[A-Za-z0-9_-]</c>, hash characters <c>[A-Za-z0-9_=-]</c>. <see cref="Contract"/> is the contract's own archive.
/// </summary>
internal readonly record struct RunnerId(string Name, string Hash)
{
    /// <summary>The special id that designates the contract's own archive (runners.md §4).</summary>
    public const string ContractToken = "<contract>";

    /// <summary>The hash tokens that resolve through the tag table, in debug mode only (runners.md §5).</summary>
    public static readonly IReadOnlyList<string> TagTokens = ["test", "latest"];

    /// <summary>Whether the hash is a tag token (<c>test</c>, <c>latest</c>).</summary>
    public bool IsTag => Hash is "test" or "latest";

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract</c>: invalid runner id.</exception>
    public static RunnerId Parse(string text)
    {
        if (!TryParse(text, out var id))
        {
            throw RunnerLoadException.Invalid($"invalid runner id `{text}`");
        }

        return id;
    }

    /// <summary>Parses <paramref name="text"/> without throwing.</summary>
    public static bool TryParse(string? text, out RunnerId id)
    {
        id = default;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || text.IndexOf(':', colon + 1) >= 0)
        {
            return false;
        }

        var name = text[..colon];
        var hash = text[(colon + 1)..];
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        foreach (var c in hash)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '=' or '-'))
            {
                return false;
            }
        }

        id = new RunnerId(name, hash);
        return true;
    }

    /// <summary>The tar path below the runners directory: <c>&lt;id&gt;/&lt;hash[0..2]&gt;/&lt;hash[2..]&gt;.tar</c> (§5).</summary>
    public string RelativeTarPath => Hash.Length < 2
        ? Path.Combine(Name, Hash + ".tar")
        : Path.Combine(Name, Hash[..2], Hash[2..] + ".tar");

    /// <inheritdoc />
    public override string ToString() => Name + ":" + Hash;
}
