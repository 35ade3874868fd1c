namespace GenVm.Host.Configuration;

/// <summary>
/// Where the shipped default module configs are found: <c>${exeDir}/../config/genvm-module-{llm,web}.yaml</c>
/// (modules.md §3.1, §4.1; manager.md §4 <c>/module/start</c> with <c>config: null</c>), which is the layout of
/// <c>scripts/publish</c>. A build output (<c>dotnet build</c>, <c>dotnet run</c>, the tests) has no <c>../config</c>, so
/// the project also copies the files to <c>${exeDir}/config/</c>, looked at second (docs/decisions.md "Default module configs").
/// </summary>
internal static class ModuleConfigFiles
{
    /// <summary>The file name of the module's config: <c>genvm-module-llm.yaml</c> or <c>genvm-module-web.yaml</c>.</summary>
    public static string FileName(string kind) => $"genvm-module-{kind}.yaml";

    /// <summary>
    /// The default config file of <paramref name="kind"/> (<c>llm</c> or <c>web</c>): the spec location when it exists,
    /// else the build-output copy when that exists, else the spec location (so the caller's error names it).
    /// </summary>
    public static string DefaultPath(string kind, string exeDir)
    {
        var spec = Path.GetFullPath(Path.Combine(exeDir, "..", "config", FileName(kind)));
        if (File.Exists(spec))
        {
            return spec;
        }

        var build = Path.Combine(exeDir, "config", FileName(kind));
        return File.Exists(build) ? build : spec;
    }
}
