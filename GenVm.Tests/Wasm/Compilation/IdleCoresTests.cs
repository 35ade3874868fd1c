using GenVm.Wasm.Compilation;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// The decision whether a background cache write gets a core (docs/decisions.md, lazy compilation): the load-average
/// text and the core count are given, the machine's own are never read.
/// </summary>
[TestFixture]
public sealed class IdleCoresTests
{
    [TestCase(2, "0.00 0.10 0.20 1/389 12345\n", true)]
    [TestCase(2, "1.00 0.10 0.20 1/389 12345\n", true)]
    [TestCase(2, "1.01 0.10 0.20 1/389 12345\n", false)]
    [TestCase(2, "42.50 40.00 39.00 45/900 777\n", false)]
    [TestCase(4, "2.99 9.00 9.00 3/389 12345\n", true)]
    [TestCase(4, "3.00 0.00 0.00 3/389 12345\n", true)]
    [TestCase(4, "3.50 0.00 0.00 3/389 12345\n", false)]
    [TestCase(64, "62.00 1.00 1.00 3/389 12345", true)]
    [TestCase(64, "63.25 1.00 1.00 3/389 12345", false)]
    public void AnySpare_LoadAverage_SpareWhenLoadPlusOneFits(int cores, string loadavg, bool expected)
    {
        Assert.That(IdleCores.AnySpare(cores, () => loadavg), Is.EqualTo(expected));
    }

    [Test]
    public void AnySpare_OnlyTheFirstFieldCounts_FiveAndFifteenMinuteAveragesIgnored()
    {
        Assert.That(IdleCores.AnySpare(2, () => "0.50 99.00 99.00 1/1 1"), Is.True);
        Assert.That(IdleCores.AnySpare(2, () => "9.00 0.00 0.00 1/1 1"), Is.False);
    }

    [TestCase(0)]
    [TestCase(1)]
    public void AnySpare_FewerThanTwoCores_FalseWithoutReadingTheFile(int cores)
    {
        var reads = 0;
        Assert.That(IdleCores.AnySpare(cores, () => { reads++; return "0.00 0.00 0.00 1/1 1"; }), Is.False);
        Assert.That(reads, Is.Zero);
    }

    [Test]
    public void AnySpare_FileMissing_SpareLikeAMachineWithoutProc()
    {
        Assert.That(IdleCores.AnySpare(2, () => throw new FileNotFoundException("no /proc")), Is.True);
        Assert.That(IdleCores.AnySpare(1, () => throw new FileNotFoundException("no /proc")), Is.False);
    }

    [Test]
    public void AnySpare_FileUnreadable_Spare()
    {
        Assert.That(IdleCores.AnySpare(2, () => throw new UnauthorizedAccessException("denied")), Is.True);
        Assert.That(IdleCores.AnySpare(2, () => throw new IOException("read error")), Is.True);
    }

    [Test]
    public void AnySpare_UnexpectedException_Propagates()
    {
        // Only the file's own failures mean "load unknown"; a bug in the reader is not hidden.
        Assert.That(() => IdleCores.AnySpare(2, () => throw new InvalidOperationException("bug")), Throws.InvalidOperationException);
    }

    [TestCase("")]
    [TestCase("\n")]
    [TestCase("   ")]
    [TestCase("abc 0.1 0.2 1/1 1")]
    [TestCase("-5.00 0.10 0.20 1/389 12345")]
    [TestCase("1e9 0.10 0.20 1/389 12345")]
    [TestCase("NaN 0.10 0.20 1/389 12345")]
    [TestCase("Infinity 0.10 0.20 1/389 12345")]
    [TestCase("1,5 0.10 0.20 1/389 12345")]
    [TestCase("0x10 0.10 0.20 1/389 12345")]
    public void AnySpare_MalformedLoadAverage_SpareLikeAnUnknownLoad(string loadavg)
    {
        // The same answer as without /proc: a garbled first field is never read as a number (a large one would
        // otherwise turn background writes off, a negative one on).
        Assert.That(IdleCores.AnySpare(2, () => loadavg), Is.True);
        Assert.That(IdleCores.AnySpare(1, () => loadavg), Is.False);
    }

    [TestCase("3.00", false)]
    [TestCase("0.25", true)]
    [TestCase("  3.00 1.0 1.0 1/1 1", false)]
    [TestCase("3.00\t1.0", false)]
    [TestCase("3.00\n", false)]
    public void AnySpare_FirstFieldAloneOrOtherWhitespace_Parsed(string loadavg, bool expected)
    {
        Assert.That(IdleCores.AnySpare(2, () => loadavg), Is.EqualTo(expected));
    }

    [Test]
    public void AnySpare_ThisMachine_AgreesWithItsOwnLoadAverage()
    {
        // The public entry reads the real file; whatever the load, it must give the answer the table gives for it.
        if (!File.Exists("/proc/loadavg"))
        {
            Assert.Ignore("no /proc/loadavg");
        }

        var text = File.ReadAllText("/proc/loadavg");
        var expected = IdleCores.AnySpare(Environment.ProcessorCount, () => text);
        var actual = IdleCores.AnySpare();
        var again = IdleCores.AnySpare(Environment.ProcessorCount, () => File.ReadAllText("/proc/loadavg"));
        // The load can move between the reads: the answer must equal one of the two table answers around it.
        Assert.That(actual, Is.EqualTo(expected).Or.EqualTo(again));
    }
}
