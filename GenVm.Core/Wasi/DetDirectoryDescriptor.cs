namespace GenVm.Core.Wasi;

/// <summary>An open directory of the virtual file system; <see cref="Name"/> is its preopen name (§9.3 <c>fd_prestat_get</c>).</summary>
internal sealed class DetDirectoryDescriptor(VirtualDirectory directory, string name) : DetDescriptor
{
    /// <summary>The directory.</summary>
    public VirtualDirectory Directory { get; } = directory;

    /// <summary>The last path component it was opened by, or <c>/</c> for the root.</summary>
    public string Name { get; } = name;
}
