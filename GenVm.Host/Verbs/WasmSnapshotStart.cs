using System.Text;
using GenVm.Wasm;
using GenVm.Wasm.Snapshots;
using GenVm.Wasm.Wasi;

namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm wasm run --snapshot-init INIT</c>: the module's start-up (<c>_initialize</c> when exported, then INIT)
/// runs once under <see cref="WasiStartupRecorder"/> and is stored as a snapshot file in the snapshot cache
/// (<see cref="SnapshotCacheDirectory.Resolve"/>); every run, the first included, restores that state into a new
/// instance linked to the run's own WASI host. Later processes with the same module, arguments, environment and
/// directories read the file instead of starting up. Clock reads during the start-up see the Unix epoch; randomness,
/// stdin, writes or file changes during it refuse the snapshot (an error). The preopened folders' files must not
/// change between runs (as with runners, whose files are content-addressed).
/// </summary>
internal static class WasmSnapshotStart
{
    /// <summary>The instant the start-up's clock reads see.</summary>
    public static readonly DateTimeOffset BootTime = DateTimeOffset.UnixEpoch;

    /// <summary>An instance of <paramref name="module"/> in <paramref name="store"/>, restored from the stored start-up, linked to <paramref name="wasi"/>.</summary>
    /// <exception cref="WasmException">The start-up failed, trapped or is not snapshot-safe, or the stored state does not fit.</exception>
    public static Instance Instantiate(Module module, Store store, WasiHost wasi, string init, IReadOnlyList<(string Host, string Guest, bool ReadOnly)> dirs)
    {
        var configuration = wasi.Configuration;
        var directory = SnapshotCacheDirectory.Resolve();
        StoredSnapshot stored;
        if (directory is null)
        {
            stored = StartUp(module, configuration, init);
        }
        else
        {
            stored = new SnapshotCache(directory).GetOrCreate(module, Variant(configuration, init, dirs), () => StartUp(module, configuration, init));
        }

        using (stored)
        {
            stored.Wasi!.RequireCompatible(wasi);
            var linker = new Linker(module.Engine);
            wasi.Define(linker);
            return stored.Snapshot.Instantiate(linker, store);
        }
    }

    /// <summary>What decides the start-up's result besides the module: the init export, arguments, environment and directories.</summary>
    private static byte[] Variant(WasiConfiguration configuration, string init, IReadOnlyList<(string Host, string Guest, bool ReadOnly)> dirs)
    {
        var text = new StringBuilder("wasm-run-snapshot/1\0").Append(init).Append('\0');
        foreach (var arg in configuration.Args)
        {
            text.Append("arg\0").Append(arg).Append('\0');
        }

        foreach (var (key, value) in configuration.Environment)
        {
            text.Append("env\0").Append(key).Append('\0').Append(value).Append('\0');
        }

        foreach (var (host, guest, readOnly) in dirs)
        {
            text.Append("dir\0").Append(Path.GetFullPath(host)).Append('\0').Append(guest).Append('\0').Append(readOnly ? '1' : '0').Append('\0');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static StoredSnapshot StartUp(Module module, WasiConfiguration run, string init)
    {
        using var stderr = new MemoryStream();
        using var host = new WasiHost(new WasiConfiguration
        {
            Args = run.Args,
            Environment = run.Environment,
            Preopens = run.Preopens,
            Stdin = new MemoryStream(),
            Stdout = Stream.Null,
            Stderr = stderr,
        });
        using var store = new Store(module.Engine);
        var linker = new Linker(module.Engine);
        var recorder = new WasiStartupRecorder(host, BootTime);
        recorder.Define(linker);
        var started = linker.Instantiate(store, module);
        started.GetFunction("_initialize")?.Invoke([]);
        var function = started.GetFunction(init);
        if (function is null || function.Type.Parameters.Length != 0)
        {
            throw new WasmException($"the module has no exported function `{init}` without parameters to start up with");
        }

        var results = function.Invoke([]);
        if (results is [{ Kind: ValueKind.I32, I32: not 0 and var code }])
        {
            throw new WasmException($"`{init}` returned {code}: {Encoding.UTF8.GetString(stderr.ToArray()).Trim()}");
        }

        var state = recorder.Seal();
        return new StoredSnapshot(InstanceSnapshot.Capture(started), state);
    }
}
