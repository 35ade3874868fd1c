namespace GenVm.Tests;

/// <summary>Finds the checkout the tests run from: the nearest ancestor of the test assembly holding GenVm.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>Absolute path of the repository root.</summary>
    public static string Path => Root.Value;

    /// <summary>Absolute path of protocol/constants.json.</summary>
    public static string ConstantsJson => System.IO.Path.Combine(Path, "protocol", "constants.json");

    private static string Find()
    {
        // AppContext.BaseDirectory (the test assembly's folder) also works during test discovery, before any
        // TestContext exists: [TestCaseSource] lists such as the spec scripts are built then.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "GenVm.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no GenVm.sln above {AppContext.BaseDirectory}");
    }
}
