using System.Runtime.InteropServices;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// The Linux calls behind copy-on-write restores: an anonymous in-memory file holds a snapshot's bytes, and a restore
/// maps it privately over the linear memory's reservation, so only pages the guest then touches are faulted in and
/// only pages it writes are copied.
/// </summary>
internal static unsafe partial class MemoryMapping
{
    public const int ProtNone = 0;
    public const int ProtRead = 1;
    public const int ProtReadWrite = 1 | 2;
    public const int MapShared = 0x01;
    public const int MapPrivate = 0x02;
    public const int MapFixed = 0x10;
    public const int MapAnonymous = 0x20;
    public const int MapNoReserve = 0x4000;
    private const uint MfdCloexec = 1;

    /// <summary>Whether restores map memory files (Linux); elsewhere they copy bytes.</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux();

    /// <summary>A new anonymous memory file, or -1.</summary>
    public static int CreateFile(string name) => memfd_create(name, MfdCloexec);

    /// <summary>Sets the file's length.</summary>
    public static bool Resize(int fd, long length) => ftruncate(fd, length) == 0;

    /// <summary>mmap; null when it failed.</summary>
    public static byte* Map(void* address, ulong length, int protection, int flags, int fd, long offset = 0)
    {
        var p = mmap(address, (nuint)length, protection, flags, fd, (nint)offset);
        return p == (void*)-1 ? null : (byte*)p;
    }

    /// <summary>munmap.</summary>
    public static void Unmap(void* address, ulong length) => _ = munmap(address, (nuint)length);

    /// <summary>dup: a descriptor of the same open file that the caller owns, or -1.</summary>
    public static int Duplicate(nint fd) => dup((int)fd);

    /// <summary>close.</summary>
    public static void Close(int fd) => _ = close(fd);

    [LibraryImport("libc", EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int memfd_create(string name, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(void* addr, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup(int fd);
}
