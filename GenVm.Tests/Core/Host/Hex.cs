namespace GenVm.Tests.Core.Host;

/// <summary>Hex literals for golden transcripts.</summary>
internal static class Hex
{
    /// <summary>Parses hex digits, ignoring spaces and newlines.</summary>
    public static byte[] Parse(string hex)
        => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));

    /// <summary>Lowercase hex without spaces, for comparing against <see cref="Parse"/>d literals.</summary>
    public static string Normalize(string hex) => Convert.ToHexStringLower(Parse(hex));
}
