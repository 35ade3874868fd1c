using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;

namespace GenVm.Bench.Engine;

/// <summary>
/// The <c>genvm</c> binary users run: <c>dotnet publish -p:PublishReadyToRun=true</c> of <c>GenVm.Host</c> (what
/// scripts/publish ships), built once per source state into
/// <c>${GENVM_CACHE_DIR:-~/.cache/genvm}/bench-genvm/&lt;key&gt;</c>, keyed by a hash of every file the binary is built
/// from, so the benches never measure a stale or a JIT-only build (docs/decisions.md, "Host start-up").
/// </summary>
internal static class PublishedHost
{
    private static readonly string[] SourceFolders = ["GenVm.Host", "GenVm.Core", "GenVm.Wasm", "GenVm.Modules", "GenVm.Generators"];

    private static readonly string[] RootFiles = ["Directory.Build.props", "Directory.Packages.props", "appsettings.json", "runners-manifest.json"];

    private const int KeptBuilds = 3;

    /// <summary>The cache folder of published builds.</summary>
    public static string CacheDirectory => Path.Combine(
        Environment.GetEnvironmentVariable("GENVM_CACHE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "genvm"),
        "bench-genvm");

    /// <summary>The published executable for the current sources, publishing it first when it is not cached.</summary>
    /// <exception cref="InvalidOperationException"><c>dotnet publish</c> failed.</exception>
    public static string Find(string root)
    {
        var key = SourceKey(root);
        var directory = Path.Combine(CacheDirectory, key);
        var executable = Path.Combine(directory, "genvm");
        if (File.Exists(executable))
        {
            Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow);
            return executable;
        }

        Directory.CreateDirectory(CacheDirectory);
        var temp = directory + "." + Environment.ProcessId + ".tmp";
        Console.WriteLine($"genvm: publishing the ReadyToRun build of the current sources (key {key}) to {directory}");
        var publish = ChildProcess.Run(
            "dotnet",
            ["publish", Path.Combine(root, "GenVm.Host", "GenVm.Host.csproj"), "-c", "Release", "-p:PublishReadyToRun=true", "-o", temp, "--nologo", "-v", "quiet"],
            new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            TimeSpan.FromMinutes(20));
        if (publish.ExitCode != 0 || !File.Exists(Path.Combine(temp, "genvm")))
        {
            TryDelete(temp);
            throw new InvalidOperationException($"dotnet publish of GenVm.Host failed ({publish.ExitCode}): {publish.Stdout}{publish.Stderr}");
        }

        // Publish to a private name, then move: a concurrent bench run never sees a half-written tree.
        try
        {
            Directory.Move(temp, directory);
        }
        catch (IOException) when (File.Exists(executable))
        {
            TryDelete(temp);
        }

        Prune();
        return executable;
    }

    /// <summary>One line saying what <paramref name="executable"/> is: ReadyToRun or JIT-only, and where it came from.</summary>
    public static string Describe(string executable, string origin)
    {
        var dll = Path.Combine(Path.GetDirectoryName(executable) ?? ".", "genvm.dll");
        var code = !File.Exists(dll) ? "unknown code (no genvm.dll beside it)"
            : File.Exists(Path.Combine(Path.GetDirectoryName(dll)!, "genvm.r2r.dll")) ? "ReadyToRun composite"
            : IsReadyToRun(dll) ? "ReadyToRun" : "IL only (JIT at start-up)";
        return $"genvm binary: {executable} ({code}; {origin})";
    }

    /// <summary>True when the assembly carries precompiled ReadyToRun code (a managed native header).</summary>
    public static bool IsReadyToRun(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var reader = new PEReader(stream);
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    /// <summary>SHA-256 over the relative path and bytes of every source the binary is built from, and the SDK's runtime.</summary>
    internal static string SourceKey(string root)
    {
        var files = SourceFolders
            .Where(f => Directory.Exists(Path.Combine(root, f)))
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(root, f), "*", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Where(p => !p.Split('/').Any(part => part is "bin" or "obj"))
            .Concat(RootFiles.Where(f => File.Exists(Path.Combine(root, f))))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription + "\n"));
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(root, file)));
            hash.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset(), 0, 8);
    }

    // Keeps the most recently used builds; each is ~10 MB.
    private static void Prune()
    {
        foreach (var old in new DirectoryInfo(CacheDirectory).EnumerateDirectories()
            .Where(d => !d.Name.EndsWith(".tmp", StringComparison.Ordinal))
            .OrderByDescending(d => d.LastWriteTimeUtc)
            .Skip(KeptBuilds))
        {
            TryDelete(old.FullName);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another run may hold it; the next prune retries.
        }
    }
}
