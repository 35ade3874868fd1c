using GenVm.Wasm.Wasi;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// Watches the WASI calls a guest makes before an <see cref="InstanceSnapshot"/> is taken (its start-up phase) and
/// decides whether the embedder's WASI state at that point is exactly what a fresh <see cref="WasiHost"/> with the
/// same configuration holds, so that a restored instance paired with such a fresh host behaves like the captured one.
/// </summary>
/// <remarks>
/// The start-up may read arguments and environment, query descriptors, and open, read, seek and close files of the
/// preopened directories (their contents must not change between capture and restore: runners' files are
/// content-addressed). It must not consume per-execution input or leave a trace outside the instance: reading a
/// clock, <c>random_get</c> (the plain host's sources cannot be replayed), reading stdin, writing to any descriptor,
/// changing the file system, sockets, or leaving a descriptor open. Any of these taints the start-up and
/// <see cref="Seal"/> refuses it. Recording stops at <see cref="Seal"/>; the wrapped functions then only forward.
/// </remarks>
public sealed class WasiStartupRecorder
{
    private const int Stdin = 0;
    private const int OpenCreate = 1;
    private const int OpenTruncate = 8;
    private const int WhenceCurrent = 1;

    // Calls that consume per-execution input (clocks, randomness, network) or change state outside the instance.
    private static readonly HashSet<string> Tainting = new(StringComparer.Ordinal)
    {
        "clock_time_get", "clock_res_get", "poll_oneoff", "random_get",
        "fd_write", "fd_pwrite", "fd_allocate", "fd_filestat_set_size", "fd_filestat_set_times", "fd_fdstat_set_flags",
        "fd_fdstat_set_rights", "fd_renumber", "fd_sync", "fd_datasync",
        "path_create_directory", "path_remove_directory", "path_rename", "path_symlink", "path_link",
        "path_unlink_file", "path_filestat_set_times",
        "sock_accept", "sock_recv", "sock_send", "sock_shutdown", "proc_raise",
    };

    private readonly WasiDescriptor[] _initial;
    private readonly List<string> _taints = [];
    private volatile bool _sealed;

    /// <summary>Records the calls <paramref name="host"/> serves through <see cref="Define"/>; the host must be unused.</summary>
    /// <param name="host">The host of the start-up.</param>
    /// <param name="bootTime">
    /// When set, clock reads during the start-up are answered from this fixed instant (realtime is it, the monotonic
    /// and CPU clocks are its ticks since the Unix epoch) instead of the host's clock, so they are a constant of the
    /// snapshot rather than per-execution input; after <see cref="Seal"/> the host's own clock answers. When null,
    /// a clock read taints the start-up.
    /// </param>
    public WasiStartupRecorder(WasiHost host, DateTimeOffset? bootTime = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
        BootTime = bootTime;
        _initial = WasiStartupState.Descriptors(host);
    }

    /// <summary>The fixed instant start-up clock reads see, or null when they taint the start-up.</summary>
    public DateTimeOffset? BootTime { get; }

    /// <summary>The recorded host.</summary>
    public WasiHost Host { get; }

    /// <summary>What tainted the start-up so far (function names with the reason), in call order; empty when clean.</summary>
    public IReadOnlyList<string> Taints => _taints;

    /// <summary>Defines the host's WASI functions in <paramref name="linker"/>, each wrapped to be recorded until <see cref="Seal"/>.</summary>
    public void Define(Linker linker)
    {
        ArgumentNullException.ThrowIfNull(linker);
        var inner = new Linker(linker.Engine);
        Host.Define(inner);
        var boot = new Dictionary<string, HostCallback>(StringComparer.Ordinal);
        if (BootTime is { } instant)
        {
            var bootLinker = new Linker(linker.Engine);
            new WasiClock(new FixedTimeProvider(instant)).Define(bootLinker);
            foreach (var (_, name, _, callback) in bootLinker.HostFunctions())
            {
                boot[name] = callback;
            }
        }

        foreach (var (module, name, type, callback) in inner.HostFunctions())
        {
            var startup = boot.GetValueOrDefault(name);
            linker.DefineFunction(module, name, type, (caller, args, results) =>
            {
                if (_sealed)
                {
                    callback(caller, args, results);
                    return;
                }

                if (startup is not null)
                {
                    startup(caller, args, results);
                    return;
                }

                Observe(name, args);
                callback(caller, args, results);
            });
        }
    }

    /// <summary>
    /// Ends the start-up: returns what a restore needs to check its host against, or throws when the start-up used
    /// per-execution input or left WASI state a fresh host would not have.
    /// </summary>
    /// <exception cref="SnapshotMismatchException">The start-up is not snapshot-safe (the message says why).</exception>
    public WasiStartupState Seal()
    {
        _sealed = true;
        if (_taints.Count > 0)
        {
            throw new SnapshotMismatchException("the start-up used per-execution input or changed outside state: " + string.Join(", ", _taints));
        }

        var now = WasiStartupState.Descriptors(Host);
        if (now.Length != _initial.Length || Host.Descriptors.Count != _initial.Length || !now.Zip(_initial).All(p => ReferenceEquals(p.First, p.Second)))
        {
            throw new SnapshotMismatchException($"the start-up left the descriptor table changed ({Host.Descriptors.Count} open, a fresh host has {_initial.Length})");
        }

        return new WasiStartupState(Host.Configuration, _initial.Length);
    }

    private void Observe(string name, ReadOnlySpan<Value> args)
    {
        string? reason = null;
        if (Tainting.Contains(name))
        {
            reason = name;
        }
        else if (name is "fd_read" or "fd_pread" && args[0].I32 == Stdin)
        {
            reason = name + " of stdin";
        }
        else if (name == "fd_seek" && args[0].I32 <= 2 && (args[1].I64 != 0 || args[2].I32 != WhenceCurrent))
        {
            reason = "fd_seek of a standard stream";
        }
        else if (name == "path_open" && (args[4].I32 & (OpenCreate | OpenTruncate)) != 0)
        {
            reason = "path_open creating or truncating a file";
        }

        if (reason is not null)
        {
            lock (_taints)
            {
                _taints.Add(reason);
            }
        }
    }
}
