namespace GenVm.Tests.Wasm.Wasi;

/// <summary>A time provider the test moves by hand (the Microsoft testing package is not in the mirror).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    public DateTimeOffset UtcNow { get; set; } = new(2024, 11, 26, 6, 42, 42, TimeSpan.Zero);

    public long Timestamp { get; set; } = 1_000;

    public override long TimestampFrequency => 1_000_000;

    public override DateTimeOffset GetUtcNow() => UtcNow;

    public override long GetTimestamp() => Timestamp;
}
