namespace GenVm.Bench.Engine;

/// <summary>Finds the repository (the folder holding <c>GenVm.sln</c>) and the built <c>genvm</c> executable.</summary>
internal static class RepoLocator
{
    /// <summary>The repository root, found by walking up from the bench binary, then from the working directory.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The <c>genvm</c> executable: <c>$GENVM_BIN</c> if set, else the Release (then Debug) build output of
    /// <c>GenVm.Host</c>; built with <c>dotnet build</c> when neither exists.
    /// </summary>
    public static string FindGenVm()
    {
        if (Environment.GetEnvironmentVariable("GENVM_BIN") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        if (Candidate() is { } found)
        {
            return found;
        }

        Console.WriteLine("genvm not built yet: dotnet build GenVm.Host -c Release");
        var build = ChildProcess.Run(
            "dotnet",
            ["build", Path.Combine(Root, "GenVm.Host", "GenVm.Host.csproj"), "-c", "Release", "-nologo", "-v", "quiet"],
            new Dictionary<string, string>(),
            TimeSpan.FromMinutes(15));
        return build.ExitCode == 0 && Candidate() is { } built
            ? built
            : throw new InvalidOperationException("could not build GenVm.Host: " + build.Stdout + build.Stderr);
    }

    private static string? Candidate()
    {
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var bin = Path.Combine(Root, "GenVm.Host", "bin", configuration);
            if (!Directory.Exists(bin))
            {
                continue;
            }

            var match = Directory.EnumerateFiles(bin, "genvm", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GenVm.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("cannot find the repository root (GenVm.sln) above the bench binary or the working directory");
    }
}
