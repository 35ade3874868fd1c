namespace GenVm.Host.Manager;

/// <summary>Holds the executor-version manifest and reloads it from <c>manifest_path</c> (<c>POST /manifest/reload</c>).</summary>
internal sealed class ManifestStore
{
    private volatile ExecutorManifest _current;

    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <exception cref="ManagerException">The file cannot be read or parsed.</exception>
    public ManifestStore(string path)
    {
        Path = path;
        _current = ExecutorManifest.Load(path);
    }

    /// <summary>The manifest file.</summary>
    public string Path { get; }

    /// <summary>The manifest in use.</summary>
    public ExecutorManifest Current => _current;

    /// <summary>Re-reads the file; the old manifest stays in use when that fails.</summary>
    /// <exception cref="ManagerException">The file cannot be read or parsed.</exception>
    public void Reload() => _current = ExecutorManifest.Load(Path);
}
