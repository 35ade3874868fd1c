using GenVm.Core.Protocol;
using GenVm.Core.Sdk;

namespace GenVm.Core.Runners;

/// <summary>
/// The maximum contract ABI version allowed at a transaction time (runners.md §3, the reference's
/// <c>version_timestamps.rs</c> table), with our documented deviation for the <c>v0.2</c> line (docs/decisions.md
/// "Runners: v0.2.x contract headers").
/// </summary>
internal static class VersionGate
{
    /// <summary>The reference table: from timestamp (Unix seconds, UTC) → maximum version.</summary>
    public static readonly IReadOnlyList<(long From, AbiVersionNumber Max)> Table =
    [
        (1722502800, new AbiVersionNumber(0, 1, 0)),
        (1751360400, new AbiVersionNumber(0, 1, 3)),
        (1752148619, new AbiVersionNumber(0, 1, 6)),
        (1752148619, new AbiVersionNumber(0, 1, 10)),
    ];

    /// <summary>
    /// Deviation: from the last row on, the whole <c>v0.2</c> line is accepted (public 2026 contracts declare
    /// <c>v0.2.5</c> … <c>v0.2.17</c>; upstream dropped the cap after the target). Anything newer stays
    /// <c>version_too_big</c>.
    /// </summary>
    public static readonly AbiVersionNumber NewestKnownLine = new(0, 2, ushort.MaxValue);

    /// <summary>The maximum version at <paramref name="unixSeconds"/> with the v0.2 deviation applied.</summary>
    public static AbiVersionNumber MaxAllowed(long unixSeconds) =>
        unixSeconds >= Table[^1].From ? NewestKnownLine : ReferenceMaxAllowed(unixSeconds);

    /// <summary>The reference's maximum version at <paramref name="unixSeconds"/> (the table alone).</summary>
    public static AbiVersionNumber ReferenceMaxAllowed(long unixSeconds)
    {
        // Last row whose timestamp ≤ time; earlier than the first row → first row. Equal timestamps: the last row (§3).
        var max = Table[0].Max;
        foreach (var (from, version) in Table)
        {
            if (from <= unixSeconds)
            {
                max = version;
            }
        }

        return max;
    }

    /// <summary>Checks <paramref name="version"/> against the time table.</summary>
    /// <exception cref="RunnerLoadException"><c>version_too_big</c>.</exception>
    public static void Check(AbiVersionNumber version, long unixSeconds)
    {
        var max = MaxAllowed(unixSeconds);
        if (version.CompareTo(max) > 0)
        {
            throw new RunnerLoadException(VmErrorText.VersionTooBig, $"contract version v{version.Major}.{version.Minor}.{version.Patch} is newer than v{max.Major}.{max.Minor}.{max.Patch}, the maximum at {unixSeconds}");
        }
    }

    /// <summary>Parses the archive's <c>version</c> (absent → <c>v0.1.0</c>) and checks it.</summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract</c> or <c>version_too_big</c>.</exception>
    public static AbiVersionNumber ParseAndCheck(RunnerArchive contract, long unixSeconds)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var text = contract.VersionText;
        var version = text is null ? ContractVersion.Default : ContractVersion.Parse(text);
        Check(version, unixSeconds);
        return version;
    }
}
