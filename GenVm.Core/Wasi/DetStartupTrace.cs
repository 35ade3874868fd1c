using System.Security.Cryptography;
using GenVm.Core.Protocol;

namespace GenVm.Core.Wasi;

/// <summary>
/// What a reactor start-up saw of the file system (<see cref="DetStartupGuard"/>): every path it looked up, with the
/// errno and the file it got (<see cref="FileIdentity"/>), and every directory it listed. A snapshot of that start-up is valid for a VM
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
                VirtualFile file => lookup.File is { } expected && expected.Matches(file),
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
    /// <param name="File">The regular file it found, else null.</param>
    /// <param name="IsDirectory">Whether it found a directory.</param>
    internal sealed record Lookup(string Path, WasiErrno Errno, FileIdentity? File, bool IsDirectory);

    /// <summary>
    /// A regular file a start-up read: its bytes while the snapshot lives in the process that captured it; read back
    /// from a snapshot file, its length, SHA-256 and, when it had one, its origin (<see cref="VirtualFile.Origin"/>:
    /// runner id and member path), so the file stays small and a fresh process recognises runner files without hashing them.
    /// </summary>
    /// <param name="Length">The file's length.</param>
    /// <param name="Origin">The name of its bytes, or null.</param>
    /// <param name="Sha256">SHA-256 of its bytes (null only while <paramref name="Contents"/> is held).</param>
    /// <param name="Contents">Its bytes (in the capturing process), or null.</param>
    internal sealed record FileIdentity(long Length, string? Origin, byte[]? Sha256, ReadOnlyMemory<byte>? Contents)
    {
        /// <summary>The identity of <paramref name="file"/> as captured in memory (bytes kept, hash computed when written).</summary>
        public static FileIdentity Of(VirtualFile file) => new(file.Contents.Length, file.Origin, null, file.Contents);

        /// <summary>SHA-256 of the bytes (computed from <see cref="Contents"/> when not known yet).</summary>
        public byte[] Hash() => Sha256 ?? SHA256.HashData(Contents!.Value.Span);

        /// <summary>
        /// Whether <paramref name="file"/> holds the same bytes: the same origin (a runner id names its archive's
        /// bytes), else the bytes compared when they are held, else the same SHA-256.
        /// </summary>
        public bool Matches(VirtualFile file)
        {
            ArgumentNullException.ThrowIfNull(file);
            if (file.Contents.Length != Length)
            {
                return false;
            }

            if (Origin is not null && file.Origin == Origin)
            {
                return true;
            }

            if (Contents is { } contents)
            {
                return DetStartupGuard.SameBytes(file.Contents, contents);
            }

            return Sha256 is { } hash && SHA256.HashData(file.Contents.Span).AsSpan().SequenceEqual(hash);
        }
    }

    /// <summary>One directory listing.</summary>
    /// <param name="Path">The directory's path from the root.</param>
    /// <param name="Names">Its entries (<see cref="Names(VirtualDirectory)"/>).</param>
    internal sealed record Listing(string Path, string Names);
}
