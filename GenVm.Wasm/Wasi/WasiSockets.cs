using static GenVm.Wasm.ValueKind;

namespace GenVm.Wasm.Wasi;

/// <summary>The preview1 socket functions. No descriptor is ever a socket: bad numbers give <c>badf</c>, others <c>notsock</c>.</summary>
public sealed class WasiSockets
{
    private readonly WasiFdTable _descriptors;

    /// <summary>Answers against <paramref name="descriptors"/>.</summary>
    public WasiSockets(WasiFdTable descriptors) => _descriptors = descriptors;

    /// <summary>Defines <c>sock_accept</c>, <c>sock_recv</c>, <c>sock_send</c> and <c>sock_shutdown</c>.</summary>
    public void Define(Linker linker)
    {
        WasiBinding.Define(linker, "sock_accept", [I32, I32, I32], (_, a) => NotSocket(a[0].I32));
        WasiBinding.Define(linker, "sock_recv", [I32, I32, I32, I32, I32, I32], (_, a) => NotSocket(a[0].I32));
        WasiBinding.Define(linker, "sock_send", [I32, I32, I32, I32, I32], (_, a) => NotSocket(a[0].I32));
        WasiBinding.Define(linker, "sock_shutdown", [I32, I32], (_, a) => NotSocket(a[0].I32));
    }

    private WasiErrno NotSocket(int fd) => _descriptors.TryGet(fd, out _) ? WasiErrno.NotSocket : WasiErrno.BadDescriptor;
}
