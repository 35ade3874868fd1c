using System.Runtime.InteropServices;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// Address-space reservation for linear memories: the maximum size is reserved once (no access), pages are
/// committed on grow, so the base pointer never moves and compiled code may keep it in a register.
/// </summary>
internal static unsafe partial class VirtualMemory
{
    private const int ProtNone = 0;
    private const int ProtReadWrite = 1 | 2;
    private const int MapPrivate = 0x02;

    private static readonly bool UseMmap = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();
    private static readonly int MapAnonymous = OperatingSystem.IsMacOS() ? 0x1000 : 0x20;
    private static readonly int MapNoReserve = OperatingSystem.IsLinux() ? 0x4000 : 0;

    /// <summary>Reserves <paramref name="bytes"/> of address space with no access; null when refused.</summary>
    public static byte* Reserve(ulong bytes)
    {
        if (bytes == 0)
        {
            return null;
        }

        if (!UseMmap)
        {
            // Fallback: commit everything up front (only sensible for small fixed memories).
            return (byte*)NativeMemory.AllocZeroed((nuint)bytes);
        }

        var p = mmap(null, (nuint)bytes, ProtNone, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        return p == (void*)-1 ? null : (byte*)p;
    }

    /// <summary>Makes <paramref name="bytes"/> at <paramref name="address"/> readable and writable (zero-filled on first touch).</summary>
    public static bool Commit(byte* address, ulong bytes)
    {
        if (bytes == 0 || !UseMmap)
        {
            return true;
        }

        return mprotect(address, (nuint)bytes, ProtReadWrite) == 0;
    }

    /// <summary>Releases a reservation.</summary>
    public static void Release(byte* address, ulong bytes)
    {
        if (address == null)
        {
            return;
        }

        if (!UseMmap)
        {
            NativeMemory.Free(address);
            return;
        }

        _ = munmap(address, (nuint)bytes);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(void* addr, nuint length, int prot);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(void* addr, nuint length);
}
