using GenVm.Core.Protocol;

namespace GenVm.Core.Wasi;

/// <summary>
/// What a reactor start-up saw of the file system (<see cref="DetStartupGuard"/>): every path it looked up, with the
/// errno and the file contents it got, and every directory it listed. A snapshot of that start-up is valid for a VM
/// whose file system answers all of them the same way (the contract's own files, mapped elsewhere, do not matter).
/// </summary>
/// <param name="Lookups">Path lookups from the root, in order.</param>
/// <param name="Listings">Directory listings.</param>
internal sealed record DetStartupTrace(IReadOnlyList<DetStartupTrace.Lookup> Lookups, IReadOnlyList<DetStartupTrace.Listing> Listings)
{
    /// <summary>Whether <paramref name="fileSystem"/> answers every recorded lookup and listing as the traced one did.</summary>
    public bool Matches(VirtualFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        foreach (var lookup in Lookups)
        {
            var errno = VirtualFileSystem.Resolve(fileSystem.Root, lookup.Path, out var node);
            if (errno != lookup.Errno)
            {
                return false;
            }

            if (errno != WasiErrno.Success)
            {
                continue;
            }

            var same = node switch
            {
                VirtualFile file => lookup.Contents is { } contents && DetStartupGuard.SameBytes(file.Contents, contents),
                _ => lookup.IsDirectory,
            };
            if (!same)
            {
                return false;
            }
        }

        foreach (var listing in Listings)
        {
            if (VirtualFileSystem.Resolve(fileSystem.Root, listing.Path, out var node) != WasiErrno.Success
                || node is not VirtualDirectory directory || Names(directory) != listing.Names)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A directory's entries as one string (names with a <c>/</c> after directories, NUL-separated).</summary>
    internal static string Names(VirtualDirectory directory) =>
        string.Join('\0', directory.Children.Select(kv => kv.Value is VirtualDirectory ? kv.Key + "/" : kv.Key));

    /// <summary>One path lookup.</summary>
    /// <param name="Path">The path from the root, as the guest wrote it after its directory's path.</param>
    /// <param name="Errno">What the lookup gave.</param>
    /// <param name="Contents">The file's bytes when it found a regular file.</param>
    /// <param name="IsDirectory">Whether it found a directory.</param>
    internal sealed record Lookup(string Path, WasiErrno Errno, ReadOnlyMemory<byte>? Contents, bool IsDirectory);

    /// <summary>One directory listing.</summary>
    /// <param name="Path">The directory's path from the root.</param>
    /// <param name="Names">Its entries (<see cref="Names(VirtualDirectory)"/>).</param>
    internal sealed record Listing(string Path, string Names);
}
