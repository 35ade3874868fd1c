using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Wasm.Wasi;

[TestFixture]
public sealed class WasiClockTests
{
    [Test]
    public void Now_Realtime_IsUtcNanosecondsSinceEpoch()
    {
        var time = new ManualTimeProvider { UtcNow = DateTimeOffset.FromUnixTimeMilliseconds(1_732_603_362_424) };
        Assert.That(new WasiClock(time).Now(0), Is.EqualTo(1_732_603_362_424_000_000UL));
    }

    [Test]
    public void Now_Monotonic_ScalesTimestampToNanoseconds()
    {
        var time = new ManualTimeProvider { Timestamp = 2_500_000 };
        var clock = new WasiClock(time);
        Assert.That(clock.Now(1), Is.EqualTo(2_500_000_000UL));
        time.Timestamp += 3;
        Assert.That(clock.Now(1), Is.EqualTo(2_500_003_000UL));
    }

    [Test]
    public void Now_UnknownClock_ReturnsNull()
    {
        Assert.That(new WasiClock(new ManualTimeProvider()).Now(4), Is.Null);
    }
}
