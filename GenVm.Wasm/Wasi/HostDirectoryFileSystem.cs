namespace GenVm.Wasm.Wasi;

/// <summary>
/// An <see cref="IWasiFileSystem"/> over a host folder (<c>wasmtime run --dir</c>). Guest paths never leave the
/// folder: the caller removes <c>..</c>, and symbolic links whose target lies outside are refused with
/// <see cref="WasiErrno.NotCapable"/>.
/// </summary>
public sealed class HostDirectoryFileSystem : IWasiFileSystem
{
    /// <summary>Exposes <paramref name="hostPath"/>; with <paramref name="readOnly"/> every mutation fails with <c>rofs</c>.</summary>
    public HostDirectoryFileSystem(string hostPath, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostPath);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(hostPath));
        if (!Directory.Exists(Root))
        {
            throw new DirectoryNotFoundException($"preopened directory not found: {hostPath}");
        }

        IsReadOnly = readOnly;
    }

    /// <summary>The host folder's full path.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public bool IsReadOnly { get; }

    /// <inheritdoc />
    public WasiErrno Stat(string path, out WasiFileStat stat)
    {
        stat = default;
        var errno = Resolve(path, out var host);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        FileSystemInfo info = Directory.Exists(host) ? new DirectoryInfo(host) : new FileInfo(host);
        if (!info.Exists)
        {
            return WasiErrno.NoEntry;
        }

        stat = ToStat(info);
        return WasiErrno.Success;
    }

    /// <inheritdoc />
    public WasiErrno OpenFile(string path, bool write, bool create, bool exclusive, bool truncate, out IWasiFile? file)
    {
        file = null;
        if (IsReadOnly && (write || create || truncate))
        {
            return WasiErrno.ReadOnlyFileSystem;
        }

        var errno = Resolve(path, out var host);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        if (Directory.Exists(host))
        {
            return WasiErrno.IsDirectory;
        }

        var mode = (create, exclusive, truncate) switch
        {
            (true, true, _) => FileMode.CreateNew,
            (true, false, true) => FileMode.Create,
            (true, false, false) => FileMode.OpenOrCreate,
            (false, _, true) => FileMode.Truncate,
            _ => FileMode.Open,
        };
        try
        {
            var handle = File.OpenHandle(host, mode, write ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            file = new HostFile(handle, host);
            return WasiErrno.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ToErrno(ex, host);
        }
    }

    /// <inheritdoc />
    public WasiErrno ReadDirectory(string path, out IReadOnlyList<WasiDirectoryEntry> entries)
    {
        entries = [];
        var errno = Resolve(path, out var host);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        if (!Directory.Exists(host))
        {
            return File.Exists(host) ? WasiErrno.NotDirectory : WasiErrno.NoEntry;
        }

        try
        {
            entries = new DirectoryInfo(host).EnumerateFileSystemInfos()
                .Select(i => new WasiDirectoryEntry(i.Name, i is DirectoryInfo ? WasiFileType.Directory : i.LinkTarget is not null ? WasiFileType.SymbolicLink : WasiFileType.RegularFile))
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .ToList();
            return WasiErrno.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ToErrno(ex, host);
        }
    }

    /// <inheritdoc />
    public WasiErrno CreateDirectory(string path) => Mutate(path, host =>
    {
        if (Directory.Exists(host) || File.Exists(host))
        {
            return WasiErrno.Exists;
        }

        Directory.CreateDirectory(host);
        return WasiErrno.Success;
    });

    /// <inheritdoc />
    public WasiErrno RemoveDirectory(string path) => Mutate(path, host =>
    {
        if (!Directory.Exists(host))
        {
            return File.Exists(host) ? WasiErrno.NotDirectory : WasiErrno.NoEntry;
        }

        if (Directory.EnumerateFileSystemEntries(host).Any())
        {
            return WasiErrno.NotEmpty;
        }

        Directory.Delete(host);
        return WasiErrno.Success;
    });

    /// <inheritdoc />
    public WasiErrno UnlinkFile(string path) => Mutate(path, host =>
    {
        if (Directory.Exists(host))
        {
            return WasiErrno.IsDirectory;
        }

        if (!File.Exists(host))
        {
            return WasiErrno.NoEntry;
        }

        File.Delete(host);
        return WasiErrno.Success;
    });

    /// <inheritdoc />
    public WasiErrno Rename(string from, string to)
    {
        var errno = Resolve(to, out var target);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        return Mutate(from, host =>
        {
            if (Directory.Exists(host))
            {
                Directory.Move(host, target);
            }
            else if (File.Exists(host))
            {
                File.Move(host, target, overwrite: true);
            }
            else
            {
                return WasiErrno.NoEntry;
            }

            return WasiErrno.Success;
        });
    }

    internal static WasiFileStat ToStat(FileSystemInfo info)
    {
        static ulong Ns(DateTime t) => t.Year < 1970 ? 0 : (ulong)(t.ToUniversalTime() - DateTime.UnixEpoch).Ticks * 100;
        return info is FileInfo f
            ? new WasiFileStat(WasiFileType.RegularFile, (ulong)f.Length, Ns(f.LastAccessTimeUtc), Ns(f.LastWriteTimeUtc), Ns(f.LastWriteTimeUtc))
            : new WasiFileStat(WasiFileType.Directory, 0, Ns(info.LastAccessTimeUtc), Ns(info.LastWriteTimeUtc), Ns(info.LastWriteTimeUtc));
    }

    private static WasiErrno ToErrno(Exception ex, string host) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => WasiErrno.NoEntry,
        UnauthorizedAccessException => WasiErrno.Access,
        IOException when File.Exists(host) || Directory.Exists(host) => WasiErrno.Exists,
        _ => WasiErrno.IO,
    };

    private WasiErrno Mutate(string path, Func<string, WasiErrno> action)
    {
        if (IsReadOnly)
        {
            return WasiErrno.ReadOnlyFileSystem;
        }

        if (path.Length == 0)
        {
            return WasiErrno.Access;
        }

        var errno = Resolve(path, out var host);
        if (errno != WasiErrno.Success)
        {
            return errno;
        }

        try
        {
            return action(host);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ToErrno(ex, host);
        }
    }

    /// <summary>Maps a normalized guest path to the host, refusing symbolic links that lead outside the root.</summary>
    private WasiErrno Resolve(string path, out string host)
    {
        host = path.Length == 0 ? Root : Path.Combine(Root, path);
        var current = Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(current);
            if (!info.Exists)
            {
                info = new DirectoryInfo(current);
                if (!info.Exists)
                {
                    return WasiErrno.Success;
                }
            }

            if (info.LinkTarget is not null)
            {
                var final = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                if (final is null || !(final == Root || final.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                {
                    return WasiErrno.NotCapable;
                }
            }
        }

        return WasiErrno.Success;
    }
}
