namespace GenVm.Bench.Engine;

/// <summary>Finds the repository (the folder holding <c>GenVm.sln</c>) and the built <c>genvm</c> executable.</summary>
internal static class RepoLocator
{
    /// <summary>The repository root, found by walking up from the bench binary, then from the working directory.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The <c>genvm</c> executable the benches measure: <c>$GENVM_BIN</c> if set, else the ReadyToRun publish of the
    /// current sources (<see cref="PublishedHost"/>, built on first use). Prints one line naming the binary and whether
    /// it carries ReadyToRun code.
    /// </summary>
    public static string FindGenVm()
    {
        if (Environment.GetEnvironmentVariable("GENVM_BIN") is { Length: > 0 } explicitPath)
        {
            Console.WriteLine(PublishedHost.Describe(explicitPath, "from GENVM_BIN"));
            return explicitPath;
        }

        var published = PublishedHost.Find(Root);
        Console.WriteLine(PublishedHost.Describe(published, "dotnet publish -p:PublishReadyToRun=true of the current sources"));
        return published;
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
