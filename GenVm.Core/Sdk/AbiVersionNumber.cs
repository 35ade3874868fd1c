namespace GenVm.Core.Sdk;

/// <summary>A contract's declared ABI version <c>vMAJOR.MINOR.PATCH</c> (runners.md §3), compared numerically (wasm-abi.md §15).</summary>
internal readonly record struct AbiVersionNumber(int Major, int Minor, int Patch) : IComparable<AbiVersionNumber>
{
    /// <summary>Parses <c>v0.1.5</c>.</summary>
    /// <exception cref="FormatException">Not of that shape.</exception>
    public static AbiVersionNumber Parse(string text)
    {
        var parts = text.StartsWith('v') ? text[1..].Split('.') : [];
        if (parts.Length != 3 || !int.TryParse(parts[0], out var major) || !int.TryParse(parts[1], out var minor) || !int.TryParse(parts[2], out var patch))
        {
            throw new FormatException($"not a version: `{text}`");
        }

        return new AbiVersionNumber(major, minor, patch);
    }

    /// <inheritdoc />
    public int CompareTo(AbiVersionNumber other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor != other.Minor ? Minor.CompareTo(other.Minor) : Patch.CompareTo(other.Patch);

    /// <summary>Whether this version is at least <paramref name="minimum"/>.</summary>
    public bool AtLeast(string minimum) => CompareTo(Parse(minimum)) >= 0;
}
