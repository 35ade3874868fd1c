using GenVm.Wasm.Wasi;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// The WASI side of a snapshot taken after a clean start-up (<see cref="WasiStartupRecorder.Seal"/>): no WASI state
/// of its own, only the configuration it is valid for. A fresh <see cref="WasiHost"/> with an equal configuration
/// holds exactly the state the captured guest saw, because the start-up changed none of it.
/// </summary>
public sealed class WasiStartupState
{
    private readonly WasiConfiguration _configuration;
    private readonly int _descriptors;

    internal WasiStartupState(WasiConfiguration configuration, int descriptors)
    {
        _configuration = configuration;
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
        if (!other.Args.SequenceEqual(_configuration.Args, StringComparer.Ordinal))
        {
            throw new SnapshotMismatchException("the WASI arguments differ from the snapshot's");
        }

        if (!other.Environment.SequenceEqual(_configuration.Environment))
        {
            throw new SnapshotMismatchException("the WASI environment differs from the snapshot's");
        }

        if (!other.Preopens.Select(Describe).SequenceEqual(_configuration.Preopens.Select(Describe)))
        {
            throw new SnapshotMismatchException("the WASI preopened directories differ from the snapshot's");
        }

        if (Descriptors(host).Length != _descriptors || host.Descriptors.Count != _descriptors)
        {
            throw new SnapshotMismatchException("the WASI host was already used");
        }
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
