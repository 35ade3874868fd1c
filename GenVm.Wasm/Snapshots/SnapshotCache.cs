using System.Diagnostics;
using System.Security.Cryptography;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// A folder of snapshot files (<see cref="SnapshotFile"/>), one per module identity and embedder variant (whatever
/// else decides the start-up's result: arguments, environment, runner files). Performance only, like the compile
/// cache: a file that cannot be trusted is deleted and rebuilt, and a failing write is ignored. Safe for concurrent
/// processes: writes are atomic renames, and two processes that both miss simply both build and write.
/// </summary>
public sealed class SnapshotCache
{
    /// <summary>Uses <paramref name="directory"/> (created on the first write).</summary>
    public SnapshotCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The file of <paramref name="module"/>'s snapshot for <paramref name="variant"/>.</summary>
    public string PathOf(Module module, ReadOnlySpan<byte> variant)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(ModuleIdentity.Of(module));
        hash.AppendData(variant);
        return Path.Combine(Directory, Convert.ToHexStringLower(hash.GetHashAndReset()) + SnapshotFile.Extension);
    }

    /// <summary>
    /// The stored snapshot of <paramref name="module"/> for <paramref name="variant"/>, or null when there is none or
    /// it cannot be trusted (then it is deleted and the reason traced).
    /// </summary>
    public StoredSnapshot? TryLoad(Module module, ReadOnlySpan<byte> variant)
    {
        var path = PathOf(module, variant);
        try
        {
            return SnapshotFile.Read(path, module);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (SnapshotFormatException ex)
        {
            Reject(path, ex.Message);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or WasmException)
        {
            // Unreadable or unmappable (not proven wrong): leave it for another process, build in memory.
            Trace.TraceWarning("genvm-wasm: cannot read snapshot file {0}: {1}", path, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Writes <paramref name="contents"/> as the snapshot of its module for <paramref name="variant"/>; returns false
    /// (and traces why) when it cannot be written.
    /// </summary>
    public bool TryStore(ReadOnlySpan<byte> variant, StoredSnapshot contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var path = PathOf(contents.Snapshot.Module, variant);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            SnapshotFile.Write(path, contents);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SnapshotMismatchException)
        {
            Trace.TraceWarning("genvm-wasm: cannot write snapshot file {0}: {1}", path, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// The stored snapshot of <paramref name="module"/> for <paramref name="variant"/>; when there is none or it is
    /// not trusted, builds it with <paramref name="create"/> (which must snapshot an instance of a module with the
    /// same identity), stores it and returns it (<see cref="StoredSnapshot.IsFromFile"/> false).
    /// </summary>
    public StoredSnapshot GetOrCreate(Module module, ReadOnlySpan<byte> variant, Func<StoredSnapshot> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (TryLoad(module, variant) is { } loaded)
        {
            return loaded;
        }

        var created = create();
        if (!ModuleIdentity.Same(created.Snapshot.Module, module))
        {
            created.Dispose();
            throw new SnapshotMismatchException("the created snapshot is of another module or engine configuration");
        }

        TryStore(variant, created);
        return created;
    }

    /// <summary>Deletes the stored snapshot of <paramref name="module"/> for <paramref name="variant"/> (an embedder found its section unusable).</summary>
    public void Remove(Module module, ReadOnlySpan<byte> variant, string reason) => Reject(PathOf(module, variant), reason);

    private static void Reject(string path, string reason)
    {
        Trace.TraceWarning("genvm-wasm: discarding snapshot file {0}: {1}", path, reason);
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
