namespace GenVm.Wasm.Snapshots;

/// <summary>A clock that never moves: the start-up clock of <see cref="WasiStartupRecorder"/>.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset instant) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => instant;

    public override long GetTimestamp() => (instant - DateTimeOffset.UnixEpoch).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
