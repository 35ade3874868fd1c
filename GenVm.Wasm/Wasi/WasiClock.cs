using static GenVm.Wasm.ValueKind;

namespace GenVm.Wasm.Wasi;

/// <summary>
/// <c>clock_res_get</c> and <c>clock_time_get</c> from an injected <see cref="TimeProvider"/>: realtime is its UTC
/// time, monotonic (and, lacking a better source, the two CPU-time clocks) its timestamp, in nanoseconds.
/// </summary>
public sealed class WasiClock
{
    private const int Realtime = 0;
    private const int ThreadCpuTime = 3;

    private readonly TimeProvider _time;

    /// <summary>Uses <paramref name="time"/> for every clock.</summary>
    public WasiClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Defines the two functions.</summary>
    public void Define(Linker linker)
    {
        WasiBinding.Define(linker, "clock_res_get", [I32, I32], (caller, a) => ResolutionGet(caller, a[0].I32, a[1].I32));
        WasiBinding.Define(linker, "clock_time_get", [I32, I64, I32], (caller, a) => TimeGet(caller, a[0].I32, a[2].I32));
    }

    /// <summary>The clock's current value in ns, or null for an unknown clock id.</summary>
    public ulong? Now(int clockId)
    {
        if (clockId == Realtime)
        {
            return (ulong)(_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        }

        if (clockId is > Realtime and <= ThreadCpuTime)
        {
            var ticks = (UInt128)(ulong)_time.GetTimestamp();
            return (ulong)(ticks * 1_000_000_000 / (ulong)_time.TimestampFrequency);
        }

        return null;
    }

    private WasiErrno ResolutionGet(Caller caller, int clockId, int resultPtr)
    {
        if (clockId is < Realtime or > ThreadCpuTime)
        {
            return WasiErrno.Invalid;
        }

        var resolution = clockId == Realtime ? 100UL : Math.Max(1UL, 1_000_000_000UL / (ulong)_time.TimestampFrequency);
        return new GuestMemory(caller).TryWriteU64(resultPtr, resolution) ? WasiErrno.Success : WasiErrno.Fault;
    }

    private WasiErrno TimeGet(Caller caller, int clockId, int resultPtr)
    {
        if (Now(clockId) is not ulong now)
        {
            return WasiErrno.Invalid;
        }

        return new GuestMemory(caller).TryWriteU64(resultPtr, now) ? WasiErrno.Success : WasiErrno.Fault;
    }
}
