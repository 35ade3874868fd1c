using GenVm.Wasm.Wasi;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// The WASI side of a snapshot taken after a clean start-up (<see cref="WasiStartupRecorder.Seal"/>): no WASI state
/// of its own, only the configuration it is valid for. A fresh <see cref="WasiHost"/> with an equal configuration
/// holds exactly the state the captured guest saw, because the start-up changed none of it.
/// </summary>
public sealed class WasiStartupState
{
    private readonly string[] _args;
    private readonly KeyValuePair<string, string>[] _environment;
    private readonly object[] _preopens;
    private readonly int _descriptors;

    internal WasiStartupState(WasiConfiguration configuration, int descriptors)
        : this([.. configuration.Args], [.. configuration.Environment], [.. configuration.Preopens.Select(Describe)], descriptors)
    {
    }

    private WasiStartupState(string[] args, KeyValuePair<string, string>[] environment, object[] preopens, int descriptors)
    {
        _args = args;
        _environment = environment;
        _preopens = preopens;
        _descriptors = descriptors;
    }

    /// <summary>
    /// Checks that <paramref name="host"/> is unused and configured like the captured one: the same arguments,
    /// environment and preopened directories (guest path, host folder and access). Standard streams, clocks and the
    /// random source are per-execution and may differ: the start-up did not touch them.
    /// </summary>
    /// <exception cref="SnapshotMismatchException">The host differs or was used.</exception>
    public void RequireCompatible(WasiHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var other = host.Configuration;
        if (!other.Args.SequenceEqual(_args, StringComparer.Ordinal))
        {
            throw new SnapshotMismatchException("the WASI arguments differ from the snapshot's");
        }

        if (!other.Environment.SequenceEqual(_environment))
        {
            throw new SnapshotMismatchException("the WASI environment differs from the snapshot's");
        }

        if (!other.Preopens.Select(Describe).SequenceEqual(_preopens))
        {
            throw new SnapshotMismatchException("the WASI preopened directories differ from the snapshot's");
        }

        if (Descriptors(host).Length != _descriptors || host.Descriptors.Count != _descriptors)
        {
            throw new SnapshotMismatchException("the WASI host was already used");
        }
    }

    /// <summary>
    /// Writes the state to a snapshot file: arguments, environment, preopens (guest path, host folder, read-only),
    /// descriptor count. Only preopens of host folders can be written: another file system has no name on disk.
    /// </summary>
    /// <exception cref="SnapshotMismatchException">A preopen is not a host folder.</exception>
    internal void Write(SnapshotWriter writer)
    {
        var preopens = new List<(string GuestPath, string Root, bool ReadOnly)>();
        foreach (var preopen in _preopens)
        {
            preopens.Add(preopen is ValueTuple<string, string, bool> host
                ? host
                : throw new SnapshotMismatchException("cannot write a snapshot whose WASI start-up preopened a file system other than a host folder"));
        }

        writer.WriteUInt32((uint)_args.Length);
        foreach (var arg in _args)
        {
            writer.WriteString(arg);
        }

        writer.WriteUInt32((uint)_environment.Length);
        foreach (var (key, value) in _environment)
        {
            writer.WriteString(key);
            writer.WriteString(value);
        }

        writer.WriteUInt32((uint)preopens.Count);
        foreach (var (guestPath, root, readOnly) in preopens)
        {
            writer.WriteString(guestPath);
            writer.WriteString(root);
            writer.WriteByte(readOnly ? (byte)1 : (byte)0);
        }

        writer.WriteInt32(_descriptors);
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    /// <exception cref="SnapshotFormatException">The bytes are malformed.</exception>
    internal static WasiStartupState Read(ref SnapshotReader reader)
    {
        // Every element is at least its 4-byte length prefix.
        var args = new string[reader.ReadCount(4)];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = reader.ReadString();
        }

        var environment = new KeyValuePair<string, string>[reader.ReadCount(8)];
        for (var i = 0; i < environment.Length; i++)
        {
            environment[i] = new(reader.ReadString(), reader.ReadString());
        }

        var preopens = new object[reader.ReadCount(9)];
        for (var i = 0; i < preopens.Length; i++)
        {
            preopens[i] = (reader.ReadString(), reader.ReadString(), reader.ReadBoolean());
        }

        var descriptors = reader.ReadInt32();
        if (descriptors < 0)
        {
            throw reader.Fail($"negative descriptor count {descriptors}");
        }

        return new WasiStartupState(args, environment, preopens, descriptors);
    }

    /// <summary>The open descriptors of a fresh host: the standard streams, then the preopens.</summary>
    internal static WasiDescriptor[] Descriptors(WasiHost host)
    {
        var result = new List<WasiDescriptor>();
        for (var fd = 0; host.Descriptors.TryGet(fd, out var descriptor); fd++)
        {
            result.Add(descriptor);
        }

        return [.. result];
    }

    private static object Describe(WasiPreopen preopen) => preopen.FileSystem is HostDirectoryFileSystem host
        ? (preopen.GuestPath, host.Root, host.IsReadOnly)
        : (preopen.GuestPath, preopen.FileSystem);
}
