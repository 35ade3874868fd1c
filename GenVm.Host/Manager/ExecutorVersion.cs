using System.Globalization;

namespace GenVm.Host.Manager;

/// <summary>An executor release version <c>vMAJOR.MINOR.PATCH</c> of the manifest (manager.md §2).</summary>
/// <param name="Major">The major part.</param>
/// <param name="Minor">The minor part.</param>
/// <param name="Patch">The patch part.</param>
internal readonly record struct ExecutorVersion(uint Major, uint Minor, uint Patch) : IComparable<ExecutorVersion>
{
    /// <summary>Parses <c>v1.2.3</c> or <c>1.2.3</c>: a leading <c>v</c> is optional, exactly three integer parts.</summary>
    public static bool TryParse(string? text, out ExecutorVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var body = text[0] == 'v' ? text.AsSpan(1) : text.AsSpan();
        Span<Range> parts = stackalloc Range[4];
        if (body.Split(parts, '.') != 3)
        {
            return false;
        }

        var numbers = new uint[3];
        for (var i = 0; i < 3; i++)
        {
            if (!uint.TryParse(body[parts[i]], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new ExecutorVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <summary>Compares major, then minor, then patch.</summary>
    public int CompareTo(ExecutorVersion other)
    {
        var c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    /// <summary>The canonical form <c>vX.Y.Z</c>, which is also the executor directory name.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"v{Major}.{Minor}.{Patch}");
}
