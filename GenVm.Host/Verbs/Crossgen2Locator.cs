using System.Runtime.InteropServices;

namespace GenVm.Host.Verbs;

/// <summary>
/// Finds crossgen2, the .NET ReadyToRun compiler that turns a cached wasm assembly into native code:
/// <c>GENVM_CROSSGEN2</c> when set (empty or <c>off</c>: none), else the NuGet package
/// <c>Microsoft.NETCore.App.Crossgen2.&lt;rid&gt;</c> of this runtime's version in the NuGet cache (GenVm.Host's
/// build downloads it with <c>PackageDownload</c>), else the newest one of the same major version.
/// </summary>
internal static class Crossgen2Locator
{
    /// <summary>The environment variable naming crossgen2.</summary>
    public const string Variable = "GENVM_CROSSGEN2";

    /// <summary>The crossgen2 executable, or null when there is none.</summary>
    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (configured is not null)
        {
            return configured.Length == 0 || configured == "off" ? null : configured;
        }

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
        {
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        var package = Path.Combine(packages, "microsoft.netcore.app.crossgen2." + RuntimeInformation.RuntimeIdentifier.ToLowerInvariant());
        if (!Directory.Exists(package))
        {
            return null;
        }

        var exe = OperatingSystem.IsWindows() ? "crossgen2.exe" : "crossgen2";
        var exact = Path.Combine(package, Environment.Version.ToString(), "tools", exe);
        if (File.Exists(exact))
        {
            return exact;
        }

        return Directory.GetDirectories(package)
            .Select(d => (Dir: d, Version: Version.TryParse(Path.GetFileName(d), out var v) ? v : null))
            .Where(d => d.Version is not null && d.Version.Major == Environment.Version.Major && File.Exists(Path.Combine(d.Dir, "tools", exe)))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Dir, "tools", exe))
            .FirstOrDefault();
    }
}
