using System.Globalization;
using GenVm.Core.Sdk;

namespace GenVm.Core.Runners;

/// <summary>Parses declared GenVM ABI versions (runners.md §3).</summary>
internal static class ContractVersion
{
    /// <summary>The version of archives without a <c>version</c> member or header line.</summary>
    public static readonly AbiVersionNumber Default = new(0, 1, 0);

    /// <summary>
    /// Parses after trimming whitespace: exactly three <c>.</c>-separated decimal <c>u16</c> parts, an optional
    /// leading <c>v</c> on the first; <c>v0.0.0</c> is rejected.
    /// </summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract</c> on any violation.</exception>
    public static AbiVersionNumber Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith('v'))
        {
            trimmed = trimmed[1..];
        }

        var parts = trimmed.Split('.');
        if (parts.Length != 3)
        {
            throw RunnerLoadException.Invalid($"invalid version `{text}`");
        }

        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            // Decimal digits only: no sign, no spaces inside (Rust's u16::from_str accepts a leading '+'; UNKNOWN
            // whether the reference trims parts, so only ASCII digits are accepted here).
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit)
                || !ushort.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw RunnerLoadException.Invalid($"invalid version `{text}`");
            }

            numbers[i] = value;
        }

        var version = new AbiVersionNumber(numbers[0], numbers[1], numbers[2]);
        if (version == new AbiVersionNumber(0, 0, 0))
        {
            throw RunnerLoadException.Invalid("version v0.0.0 is not allowed");
        }

        return version;
    }
}
