using GenVm.Core.Protocol;

namespace GenVm.Core.Wasi;

/// <summary>
/// The read-only tree a VM sees under fd 3 (wasm-abi.md §9.2). Filled by runner <c>MapFile</c> actions (for now
/// directly by the supervisor's callers); shared by reference, so mapped contents are never copied.
/// </summary>
internal sealed class VirtualFileSystem
{
    /// <summary>The root directory <c>/</c>.</summary>
    public VirtualDirectory Root { get; } = new();

    /// <summary>
    /// Maps <paramref name="contents"/> at <paramref name="path"/>. The path is normalized first: repeated <c>/</c>
    /// collapse, leading and trailing <c>/</c> are dropped (§9.2); intermediate directories are created.
    /// </summary>
    /// <param name="path">Where the file appears.</param>
    /// <param name="contents">Its bytes.</param>
    /// <param name="origin">The name of the bytes when they have one (<see cref="VirtualFile.Origin"/>).</param>
    /// <exception cref="ArgumentException">The path is empty after normalization or runs through a mapped file.</exception>
    public void MapFile(string path, ReadOnlyMemory<byte> contents, string? origin = null)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException("cannot map a file at the root", nameof(path));
        }

        var directory = Root;
        foreach (var part in parts[..^1])
        {
            if (!directory.Children.TryGetValue(part, out var next))
            {
                next = new VirtualDirectory();
                directory.Children.Add(part, next);
            }

            directory = next as VirtualDirectory ?? throw new ArgumentException($"`{part}` is a file", nameof(path));
        }

        directory.Children[parts[^1]] = new VirtualFile(contents, origin);
    }

    /// <summary>
    /// Resolves <paramref name="path"/> relative to <paramref name="start"/> (§9.2): empty and <c>.</c> components
    /// are ignored, <c>..</c> always fails with <c>noent</c>, a missing name is <c>noent</c>, descending through a
    /// regular file is <c>badf</c>.
    /// </summary>
    public static WasiErrno Resolve(VirtualDirectory start, string path, out VirtualNode node)
    {
        node = start;
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                return WasiErrno.Noent;
            }

            if (node is not VirtualDirectory directory)
            {
                return WasiErrno.Badf;
            }

            if (!directory.Children.TryGetValue(part, out var child))
            {
                return WasiErrno.Noent;
            }

            node = child;
        }

        return WasiErrno.Success;
    }
}
