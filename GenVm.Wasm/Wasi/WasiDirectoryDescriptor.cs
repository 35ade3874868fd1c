namespace GenVm.Wasm.Wasi;

/// <summary>An open directory: a file system plus a normalized path in it.</summary>
public sealed class WasiDirectoryDescriptor : WasiDescriptor
{
    /// <summary>Creates the descriptor; <paramref name="preopenName"/> is set for preopened directories only.</summary>
    public WasiDirectoryDescriptor(IWasiFileSystem fileSystem, string path, string? preopenName)
    {
        FileSystem = fileSystem;
        Path = path;
        PreopenName = preopenName;
    }

    /// <summary>The file system the directory belongs to.</summary>
    public IWasiFileSystem FileSystem { get; }

    /// <summary>The directory's normalized path in <see cref="FileSystem"/> (<c>""</c> for its root).</summary>
    public string Path { get; }

    /// <summary>The guest path of a preopened directory (reported by <c>fd_prestat_dir_name</c>), else null.</summary>
    public string? PreopenName { get; }

    /// <inheritdoc />
    public override WasiFileType FileType => WasiFileType.Directory;
}
