namespace GenVm.Wasm.Wasi;

/// <summary>A directory given to the guest at start (fd 3, 4, ... in order), under the name <paramref name="GuestPath"/>.</summary>
/// <param name="GuestPath">The name the guest sees (wasi-libc matches absolute and relative paths against it), e.g. <c>/data</c> or <c>.</c>.</param>
/// <param name="FileSystem">The tree behind it.</param>
public sealed record WasiPreopen(string GuestPath, IWasiFileSystem FileSystem)
{
    /// <summary>Preopens the host folder <paramref name="hostPath"/> as <paramref name="guestPath"/>.</summary>
    public static WasiPreopen FromHostDirectory(string hostPath, string guestPath, bool readOnly = false) =>
        new(guestPath, new HostDirectoryFileSystem(hostPath, readOnly));
}
