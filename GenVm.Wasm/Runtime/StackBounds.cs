using System.Runtime.InteropServices;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// The current thread's native stack bounds, so compiled code can trap <see cref="TrapCode.StackOverflow"/> long
/// before the CLR's fatal stack overflow (wasm-abi.md §13: native stack exhaustion is a StackOverflow trap).
/// </summary>
internal static unsafe partial class StackBounds
{
    /// <summary>Bytes kept free below the limit for the runtime, host callbacks and exception dispatch.</summary>
    private const long Reserve = 256 * 1024;

    [ThreadStatic]
    private static nint t_limit;

    /// <summary>An address in the caller's frame (compiled functions with tail calls use this instead of a local's address).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static nint CurrentStackPointer()
    {
        byte here;
        return (nint)(&here);
    }

    /// <summary>The lowest address compiled code may use on this thread.</summary>
    public static nint CurrentLimit()
    {
        if (t_limit != 0)
        {
            return t_limit;
        }

        byte here;
        var sp = (nint)(&here);
        nint low = 0;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                low = LinuxStackLow();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                low = 0;
            }
        }

        if (low == 0 || low >= sp)
        {
            // Unknown bounds: assume the smallest common thread stack (1 MiB secondary threads, less what is used).
            low = sp - (768 * 1024);
        }

        t_limit = low + (nint)Reserve;
        return t_limit;
    }

    private static nint LinuxStackLow()
    {
        // pthread_attr_t is at most 64 bytes on glibc/musl; give it room.
        var attr = stackalloc byte[256];
        if (pthread_getattr_np(pthread_self(), attr) != 0)
        {
            return 0;
        }

        void* addr;
        nuint size;
        var rc = pthread_attr_getstack(attr, &addr, &size);
        _ = pthread_attr_destroy(attr);
        return rc == 0 ? (nint)addr : 0;
    }

    [LibraryImport("libc")]
    private static partial nint pthread_self();

    [LibraryImport("libc")]
    private static partial int pthread_getattr_np(nint thread, void* attr);

    [LibraryImport("libc")]
    private static partial int pthread_attr_getstack(void* attr, void** stackaddr, nuint* stacksize);

    [LibraryImport("libc")]
    private static partial int pthread_attr_destroy(void* attr);
}
