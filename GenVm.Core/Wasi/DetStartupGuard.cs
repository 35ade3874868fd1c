using System.Runtime.InteropServices;
using GenVm.Core.Protocol;
using GenVm.Wasm;

namespace GenVm.Core.Wasi;

/// <summary>
/// Watches the start-up of a reactor interpreter (<c>_initialize</c>, <c>genvm_init</c>, <c>genvm_import</c>) inside
/// a <see cref="DetWasiHost"/>, so that the state it leaves can be snapshotted and restored into other VMs
/// (docs/decisions.md "Python snapshots"). Every VM whose started module is a reactor runs its start-up under a guard,
/// whether or not a snapshot is taken, so the booted and the restored paths see the same start-up:
/// <list type="bullet">
/// <item>clocks answer <see cref="BootNanoseconds"/> instead of the transaction time (wasm-abi.md §9.3 is kept from the
/// first instruction of <c>genvm_run</c> on);</item>
/// <item><c>fd_filestat_get</c> of fd 0 answers size 0 (the message's length is per-execution input);</item>
/// <item>everything else is answered normally and only observed: reading fd 0, writing anything, closing a standard
/// descriptor, a <c>genlayer_sdk</c> call, a non-det <c>random_get</c> other than the interpreter boot's hash secret
/// (<see cref="HashSecretDrawn"/>) or a descriptor left open taints the start-up, and a tainted start-up is never
/// snapshotted.</item>
/// </list>
/// It also records what a restore must reproduce or check: the number of det random outputs consumed (the MT19937
/// stream of §9.3 is the same fixed-seed stream in every det VM, so a restore skips that many outputs) and every path
/// lookup and directory listing, replayed against the restored VM's file system by <see cref="DetStartupTrace.Matches"/>.
/// </summary>
internal sealed class DetStartupGuard
{
    private const int Stdin = 0;
    private const int WhenceCurrent = 1;

    private static readonly HashSet<string> Tainting = new(StringComparer.Ordinal)
    {
        "fd_write", "fd_pwrite", "poll_oneoff", "proc_raise", "sock_accept", "sock_recv", "sock_send", "sock_shutdown",
        "fd_renumber",
    };

    private readonly Dictionary<VirtualDirectory, string> _directories = new(ReferenceEqualityComparer.Instance);
    private readonly List<DetStartupTrace.Lookup> _lookups = [];
    private readonly List<DetStartupTrace.Listing> _listings = [];
    private readonly List<string> _taints = [];

    /// <summary>Guards the start-up of a VM whose root directory is <paramref name="root"/> (fd 3).</summary>
    public DetStartupGuard(VirtualDirectory root)
    {
        ArgumentNullException.ThrowIfNull(root);
        _directories[root] = string.Empty;
    }

    /// <summary>
    /// What every clock reads during the start-up: a constant of the snapshot rather than the transaction time
    /// (2000-01-01T00:00:00Z; its value is irrelevant as long as the booted and restored paths agree).
    /// </summary>
    public const ulong BootNanoseconds = 946_684_800UL * 1_000_000_000UL;

    /// <summary>The size of CPython's str-hash secret (<c>_Py_HashSecret_t</c>), drawn by one <c>random_get</c> during its boot.</summary>
    public const int HashSecretBytes = 24;

    /// <summary>
    /// Whether the interpreter boot itself runs now (<c>_initialize</c> and <c>genvm_init</c>, not the pre-imports):
    /// set by <see cref="Supervisor.ReactorStartup"/>. Only then may a non-det VM draw its hash secret untainted.
    /// </summary>
    public bool InInterpreterBoot { get; set; }

    /// <summary>
    /// Whether a non-det VM's boot drew the interpreter's hash secret (one <see cref="HashSecretBytes"/>-byte
    /// <c>random_get</c> of OS entropy): a snapshot of that start-up holds the secret, so it must stay in this process
    /// (docs/decisions.md "Non-det snapshots"). Any other non-det draw taints.
    /// </summary>
    public bool HashSecretDrawn { get; private set; }

    /// <summary>Det <c>random_get</c> outputs (32-bit words) consumed during the start-up.</summary>
    public long RandomWords { get; private set; }

    /// <summary>What tainted the start-up, in call order; empty when it may be snapshotted.</summary>
    public IReadOnlyList<string> Taints => _taints;

    /// <summary>Adds a taint (for example a <c>genlayer_sdk</c> call seen by the SDK).</summary>
    public void Taint(string reason) => _taints.Add(reason);

    /// <summary>The lookups and listings recorded so far.</summary>
    public DetStartupTrace Trace() => new([.. _lookups], [.. _listings]);

    /// <summary>
    /// Called before a WASI function runs during the start-up: answers it itself (clocks, fd 0's size) and returns
    /// true, or observes it and returns false so the host answers normally.
    /// </summary>
    public bool Intercept(DetWasiHost host, string name, Caller caller, ReadOnlySpan<Value> args, out WasiErrno errno)
    {
        errno = WasiErrno.Success;
        switch (name)
        {
            case "clock_time_get" or "clock_res_get":
                if ((uint)args[0].I32 > 3)
                {
                    errno = WasiErrno.Inval;
                    return true;
                }

                new GuestMemory(caller).WriteU64(name == "clock_time_get" ? args[2].I32 : args[1].I32, name == "clock_time_get" ? BootNanoseconds : 1);
                return true;
            case "fd_filestat_get" when args[0].I32 == Stdin && host.Descriptors.TryGet(Stdin, out var message) && message is DetFileDescriptor:
                DetWasiHost.WriteFilestat(caller, args[1].I32, WasiFileType.RegularFile, nlink: 1, 0);
                return true;
            case "fd_read" or "fd_pread" when args[0].I32 == Stdin:
                Taint(name + " of the message (fd 0)");
                return false;
            case "fd_seek" when args[0].I32 == Stdin && (args[1].I64 != 0 || args[2].I32 != WhenceCurrent):
                Taint("fd_seek of the message (fd 0)");
                return false;
            case "fd_close" when (uint)args[0].I32 <= 3:
                Taint("fd_close of a standard descriptor");
                return false;
            case "random_get":
                if (host.IsDeterministic)
                {
                    RandomWords += ((long)(uint)args[1].I32 + 3) / 4;
                }
                else if (InInterpreterBoot && !HashSecretDrawn && (uint)args[1].I32 == HashSecretBytes)
                {
                    // docs/decisions.md "Non-det snapshots": the interpreter's one draw of its str-hash secret may be
                    // frozen into a per-process snapshot; any other entropy drawn before the program is per-execution.
                    HashSecretDrawn = true;
                }
                else
                {
                    Taint("random_get in a non-det VM");
                }

                return false;
            default:
                if (Tainting.Contains(name))
                {
                    Taint(name);
                }

                return false;
        }
    }

    /// <summary>Records a path lookup from <paramref name="start"/> (an open directory).</summary>
    public void Lookup(VirtualDirectory start, string path, WasiErrno errno, VirtualNode? node)
    {
        if (!_directories.TryGetValue(start, out var prefix))
        {
            Taint("a lookup from a directory the start-up did not reach by path");
            return;
        }

        var absolute = prefix + "/" + path;
        _lookups.Add(new DetStartupTrace.Lookup(absolute, errno, node is VirtualFile file ? DetStartupTrace.FileIdentity.Of(file) : null, node is VirtualDirectory));
        if (errno == WasiErrno.Success && node is VirtualDirectory directory)
        {
            _directories.TryAdd(directory, absolute);
        }
    }

    /// <summary>Records that the start-up listed <paramref name="directory"/>.</summary>
    public void Listing(VirtualDirectory directory)
    {
        if (!_directories.TryGetValue(directory, out var path))
        {
            Taint("a listing of a directory the start-up did not reach by path");
            return;
        }

        _listings.Add(new DetStartupTrace.Listing(path, DetStartupTrace.Names(directory)));
    }

    /// <summary>Whether two file contents are the same bytes (cheap when both are slices of one cached archive).</summary>
    internal static bool SameBytes(ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        if (MemoryMarshal.TryGetArray(a, out var x) && MemoryMarshal.TryGetArray(b, out var y)
            && ReferenceEquals(x.Array, y.Array) && x.Offset == y.Offset)
        {
            return true;
        }

        // Slices of one mapped runner tar (Runners.MappedFile).
        if (MemoryMarshal.TryGetMemoryManager<byte, System.Buffers.MemoryManager<byte>>(a, out var m, out var i, out _)
            && MemoryMarshal.TryGetMemoryManager<byte, System.Buffers.MemoryManager<byte>>(b, out var n, out var j, out _)
            && ReferenceEquals(m, n) && i == j)
        {
            return true;
        }

        return a.Span.SequenceEqual(b.Span);
    }
}
