namespace GenVm.Wasm.Wasi;

/// <summary>
/// A plain WASI preview1 host (like <c>wasmtime run</c>'s): one descriptor table (fd 0-2 = the standard streams,
/// then the preopened directories) and one object per area, each defining its functions in a <see cref="Linker"/>.
/// One host serves one guest program.
/// </summary>
public sealed class WasiHost : IDisposable
{
    /// <summary>Builds the descriptor table and the areas from <paramref name="configuration"/>.</summary>
    public WasiHost(WasiConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        Descriptors = new WasiFdTable();
        Descriptors.Add(new WasiStreamDescriptor(configuration.Stdin, readable: true, writable: false));
        Descriptors.Add(new WasiStreamDescriptor(configuration.Stdout, readable: false, writable: true));
        Descriptors.Add(new WasiStreamDescriptor(configuration.Stderr, readable: false, writable: true));
        foreach (var preopen in configuration.Preopens)
        {
            Descriptors.Add(new WasiDirectoryDescriptor(preopen.FileSystem, string.Empty, preopen.GuestPath));
        }

        Args = new WasiArgs(configuration);
        Clock = new WasiClock(configuration.TimeProvider);
        Random = new WasiRandom(configuration.Random);
        FileSystem = new WasiFileSystem(Descriptors);
        Process = new WasiProcess();
        Sockets = new WasiSockets(Descriptors);
    }

    /// <summary>The configuration the host was built from.</summary>
    public WasiConfiguration Configuration { get; }

    /// <summary>The guest's descriptors.</summary>
    public WasiFdTable Descriptors { get; }

    /// <summary>Arguments and environment.</summary>
    public WasiArgs Args { get; }

    /// <summary>Clocks.</summary>
    public WasiClock Clock { get; }

    /// <summary>Randomness.</summary>
    public WasiRandom Random { get; }

    /// <summary>Descriptor and path functions.</summary>
    public WasiFileSystem FileSystem { get; }

    /// <summary>Process control.</summary>
    public WasiProcess Process { get; }

    /// <summary>Sockets (none).</summary>
    public WasiSockets Sockets { get; }

    /// <summary>Defines all 46 preview1 functions under <c>wasi_snapshot_preview1</c>.</summary>
    public void Define(Linker linker)
    {
        ArgumentNullException.ThrowIfNull(linker);
        Args.Define(linker);
        Clock.Define(linker);
        Random.Define(linker);
        FileSystem.Define(linker);
        Process.Define(linker);
        Sockets.Define(linker);
    }

    /// <inheritdoc />
    public void Dispose() => Descriptors.Dispose();
}
