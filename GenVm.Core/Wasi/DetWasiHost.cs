using System.Security.Cryptography;
using System.Text;
using GenVm.Core.Protocol;
using GenVm.Wasm;
using static GenVm.Wasm.ValueKind;

namespace GenVm.Core.Wasi;

/// <summary>
/// The executor's <c>wasi_snapshot_preview1</c> (wasm-abi.md §9): all 46 functions, with a fixed clock, a
/// fixed-seed random stream, a read-only virtual file system and the reference's quirks. One host per VM.
/// Errnos are returned as values; bad guest pointers throw <see cref="GuestFaultException"/> (§2); <c>proc_exit</c>
/// throws <see cref="GenVm.Wasm.Wasi.WasiExitException"/>.
/// </summary>
/// <remarks>
/// Not the engine's plain <c>GenVm.Wasm.Wasi.WasiHost</c>: its descriptor numbering (lowest free), seek and stream
/// semantics and pointer handling (errno <c>fault</c>) all differ from §9, so only <c>WasiExitException</c> is shared.
/// </remarks>
internal sealed partial class DetWasiHost
{
    /// <summary>Rights of stdout/stderr (§9.3 <c>fd_fdstat_get</c>).</summary>
    private const ulong StdioRights = (ulong)WasiRights.Stdio;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly DetWasiOptions _options;
    private readonly byte[][] _args;
    private readonly byte[][] _environment;
    private readonly Mt19937? _random;
    private readonly DetFileDescriptor _message;

    /// <summary>Builds the initial descriptor table: 0 = message, 1 = stdout, 2 = stderr, 3 = <c>/</c> (§9.1).</summary>
    public DetWasiHost(DetWasiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _args = options.Args.Select(NulTerminated).ToArray();
        _environment = options.Environment
            .OrderBy(kv => kv.Key, Utf8NameComparer.Instance)
            .Select(kv => NulTerminated(kv.Key + "=" + kv.Value))
            .ToArray();
        _random = options.Deterministic ? new Mt19937([DetRngSeed.Word0, DetRngSeed.Word1]) : null;
        _message = new DetFileDescriptor(options.Message, isResultFile: false);
        Descriptors.Add(_message);
        Descriptors.Add(new DetStreamDescriptor(options.Stdout ?? Stream.Null));
        Descriptors.Add(new DetStreamDescriptor(options.Stderr ?? Stream.Null));
        Descriptors.Add(new DetDirectoryDescriptor(options.FileSystem.Root, "/"));

        // §12 fd_allocation: numbers made for the guest from here on cost 96 each. UNKNOWN: whether the reference also
        // charges the four initial numbers; charging them would only move the OOM edge by 384 units.
        if (options.Limiter is { } limiter)
        {
            Descriptors.Charge = limiter.TryCharge;
        }
    }

    /// <summary>
    /// Places a <c>gl_call</c> result file (§4.1) as a new descriptor, charging its size to the pool (§12).
    /// </summary>
    /// <exception cref="ResourceExhaustedException">The file or its number does not fit the pool (VMError OOM).</exception>
    public uint AddResultFile(byte[] contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        _options.Limiter?.Charge(contents.Length, "result file");
        try
        {
            return Descriptors.Add(new DetFileDescriptor(contents, isResultFile: true));
        }
        catch (ResourceExhaustedException)
        {
            _options.Limiter?.Refund(contents.Length);
            throw;
        }
    }

    // §9.3 fd_close; §12: a result file gives its size back, and closing fd 0's message adds its size (quirk).
    private WasiErrno CloseDescriptor(int fd)
    {
        if (!Descriptors.Close(fd, out var closed))
        {
            return WasiErrno.Badf;
        }

        if (_options.Limiter is { } limiter && closed is DetFileDescriptor file)
        {
            if (file.IsResultFile)
            {
                limiter.Refund(file.Contents.Length);
            }
            else if (ReferenceEquals(file, _message))
            {
                limiter.Donate(file.Contents.Length);
            }
        }

        return WasiErrno.Success;
    }

    /// <summary>
    /// Whether <c>environ_*</c> show the environment. §9.3: the set is fixed when <c>StartWasm</c> runs, so modules
    /// linked earlier see an empty environment during their <c>_initialize</c>; the VM clears this until then.
    /// </summary>
    public bool EnvironmentVisible { get; set; } = true;

    /// <summary>
    /// The guard of a reactor start-up in progress (<see cref="DetStartupGuard"/>), or null once the guest's own
    /// program runs: while set, clocks read its boot time and every call is observed.
    /// </summary>
    public DetStartupGuard? Startup { get; set; }

    /// <summary>Whether <c>random_get</c> draws from the fixed-seed MT19937 stream (a det VM, §9.3).</summary>
    public bool IsDeterministic => _random is not null;

    /// <summary>
    /// Consumes <paramref name="words"/> outputs of the det random stream, as a restored start-up that drew them
    /// would have (§9.3: ⌈len/4⌉ outputs per call); nothing for a non-det VM.
    /// </summary>
    public void SkipRandom(long words)
    {
        for (var i = 0L; i < words && _random is not null; i++)
        {
            _random.Next();
        }
    }

    /// <summary>The VM's descriptors; <c>gl_call</c> adds result files here (§4.1).</summary>
    public DetFdTable Descriptors { get; } = new();

    /// <summary>Defines the 46 functions under <c>wasi_snapshot_preview1</c>.</summary>
    public void Define(Linker linker)
    {
        ArgumentNullException.ThrowIfNull(linker);
        Def(linker, "args_sizes_get", [I32, I32], (c, a) => Sizes(c, _args, a[0].I32, a[1].I32));
        Def(linker, "args_get", [I32, I32], (c, a) => Strings(c, _args, a[0].I32, a[1].I32));
        Def(linker, "environ_sizes_get", [I32, I32], (c, a) => Sizes(c, EnvironmentVisible ? _environment : [], a[0].I32, a[1].I32));
        Def(linker, "environ_get", [I32, I32], (c, a) => Strings(c, EnvironmentVisible ? _environment : [], a[0].I32, a[1].I32));
        Def(linker, "clock_res_get", [I32, I32], (c, a) => Clock(c, a[0].I32, a[1].I32, 1));
        Def(linker, "clock_time_get", [I32, I64, I32], (c, a) => Clock(c, a[0].I32, a[2].I32, _options.TimeNanoseconds));
        Def(linker, "random_get", [I32, I32], (c, a) => RandomGet(c, a[0].I32, a[1].I32));
        linker.DefineFunction(WasmName.WasiModule, "proc_exit", new FuncType(new[] { I32 }, Array.Empty<ValueKind>()), (_, a, _) =>
            throw new GenVm.Wasm.Wasi.WasiExitException(a[0].I32));

        DefineFiles(linker);
        DefinePaths(linker);

        // §9.3: unsupported operations answer a fixed errno.
        Const(linker, "fd_renumber", [I32, I32], WasiErrno.Notsup);
        Const(linker, "poll_oneoff", [I32, I32, I32, I32], WasiErrno.Notsup);
        Const(linker, "proc_raise", [I32], WasiErrno.Notsup);
        Const(linker, "sched_yield", [], WasiErrno.Notsup);
        Const(linker, "sock_accept", [I32, I32, I32], WasiErrno.Acces);
        Const(linker, "sock_recv", [I32, I32, I32, I32, I32, I32], WasiErrno.Acces);
        Const(linker, "sock_send", [I32, I32, I32, I32, I32], WasiErrno.Acces);
        Const(linker, "sock_shutdown", [I32, I32], WasiErrno.Acces);
    }

    private delegate WasiErrno Body(Caller caller, ReadOnlySpan<Value> args);

    private void Def(Linker linker, string name, ValueKind[] parameters, Body body) =>
        linker.DefineFunction(WasmName.WasiModule, name, new FuncType(parameters, [I32]), (caller, args, results) =>
        {
            // A reactor's start-up answers some calls from its guard (docs/decisions.md "Python snapshots").
            if (Startup is { } guard && guard.Intercept(this, name, caller, args, out var answered))
            {
                results[0] = Value.FromI32((int)answered);
                return;
            }

            results[0] = Value.FromI32((int)body(caller, args));
        });

    private void Const(Linker linker, string name, ValueKind[] parameters, WasiErrno errno) =>
        Def(linker, name, parameters, (_, _) => errno);

    private static byte[] NulTerminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static WasiErrno Sizes(Caller caller, byte[][] items, int countPtr, int sizePtr)
    {
        var memory = new GuestMemory(caller);
        memory.WriteU32(countPtr, (uint)items.Length);
        memory.WriteU32(sizePtr, (uint)items.Sum(i => (long)i.Length));
        return WasiErrno.Success;
    }

    private static WasiErrno Strings(Caller caller, byte[][] items, int pointers, int buffer)
    {
        var memory = new GuestMemory(caller);
        var offset = buffer;
        for (var i = 0; i < items.Length; i++)
        {
            memory.WriteU32(pointers + (i * 4), (uint)offset);
            items[i].CopyTo(memory.Slice(offset, items[i].Length));
            offset += items[i].Length;
        }

        return WasiErrno.Success;
    }

    // §9.3: every clock reads the transaction time and never advances; resolution 1. Clock ids outside the
    // preview1 enum are an invalid enum value (§2 → inval); see docs/decisions.md.
    private static WasiErrno Clock(Caller caller, int clockId, int resultPtr, ulong value)
    {
        if ((uint)clockId > 3)
        {
            return WasiErrno.Inval;
        }

        new GuestMemory(caller).WriteU64(resultPtr, value);
        return WasiErrno.Success;
    }

    private WasiErrno RandomGet(Caller caller, int buffer, int length)
    {
        var target = new GuestMemory(caller).Slice(buffer, length);
        if (_random is null)
        {
            RandomNumberGenerator.Fill(target);
        }
        else
        {
            _random.Fill(target);
        }

        return WasiErrno.Success;
    }

    private static WasiErrno ReadPath(Caller caller, int address, int length, out string path)
    {
        path = string.Empty;
        try
        {
            path = StrictUtf8.GetString(new GuestMemory(caller).Slice(address, length));
            return WasiErrno.Success;
        }
        catch (DecoderFallbackException)
        {
            return WasiErrno.Ilseq;
        }
    }
}
