using System.IO.Compression;

namespace GenVm.Host.Verbs;

/// <summary>
/// Packs a contract directory (a <c>runner.json</c>, an optional <c>version</c>, a <c>contract/</c> package …) into
/// zip contract code for <c>genvm exec</c> (runners.md §2 step 1): every regular file below the directory, named by
/// its relative path with <c>/</c>, stored (method 0, no compression), in byte-wise path order with a fixed timestamp,
/// so the same directory always gives the same code octets.
/// </summary>
internal static class ContractDirectory
{
    // The zip epoch (DOS dates start in 1980): the fixed timestamp of every entry.
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The zip code of <paramref name="directory"/>.</summary>
    /// <exception cref="IOException">The directory cannot be read.</exception>
    public static byte[] Pack(string directory)
    {
        var root = Path.GetFullPath(directory);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Name: Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .ToList();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, name) in files)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
                entry.LastWriteTime = FixedTime;
                using var output = entry.Open();
                using var input = File.OpenRead(path);
                input.CopyTo(output);
            }
        }

        return buffer.ToArray();
    }
}
