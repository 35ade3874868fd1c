using GenVm.Wasm.Binary;

namespace GenVm.Tests.Wasm.Binary;

/// <summary>The compile cache metadata codec: minimal LEB128, checked counts, strict UTF-8, no advance on failure.</summary>
[TestFixture]
public sealed class MetadataReaderTests
{
    [TestCase("00", 0u)]
    [TestCase("7f", 127u)]
    [TestCase("8001", 128u)]
    [TestCase("e58e26", 624485u)]
    [TestCase("ffffffff0f", uint.MaxValue)]
    public void ReadVarUInt32_Minimal_ReadsValue(string hex, uint expected)
    {
        var reader = new MetadataReader(Convert.FromHexString(hex));
        Assert.That(reader.ReadVarUInt32(), Is.EqualTo(expected));
        Assert.That(reader.BytesRemaining, Is.Zero);
    }

    [TestCase("", "unexpected end")]
    [TestCase("80", "unexpected end")]
    [TestCase("8000", "not minimal")]
    [TestCase("ffffffff10", "too large")]
    [TestCase("ffffffffff00", "too long")]
    public void ReadVarUInt32_Malformed_ThrowsAndStays(string hex, string message)
    {
        var bytes = Convert.FromHexString(hex);
        var position = -1;
        var ex = Assert.Throws<MetadataFormatException>(() =>
        {
            var reader = new MetadataReader(bytes);
            try
            {
                reader.ReadVarUInt32();
            }
            finally
            {
                position = reader.BytesConsumed;
            }
        });
        Assert.That(ex!.Message, Does.Contain(message));
        Assert.That(position, Is.Zero, "a failed read does not advance");
    }

    [Test]
    public void WriteVarUInt64_RoundTrips()
    {
        var writer = new MetadataWriter();
        ulong[] values = [0, 1, 127, 128, ulong.MaxValue, 1UL << 63, 0x1234_5678_9abc];
        foreach (var value in values)
        {
            writer.WriteVarUInt64(value);
        }

        var reader = new MetadataReader(writer.Encode());
        foreach (var value in values)
        {
            Assert.That(reader.ReadVarUInt64(), Is.EqualTo(value));
        }

        Assert.That(reader.BytesRemaining, Is.Zero);
    }

    [Test]
    public void ReadVarUInt64_TenthByteOverflow_Throws()
    {
        var bytes = Convert.FromHexString("ffffffffffffffffff02");
        Assert.Throws<MetadataFormatException>(() => new MetadataReader(bytes).ReadVarUInt64());
    }

    [TestCase("05aabbcc", 1)] // five items of at least one byte, three bytes left
    [TestCase("02aabbcc", 2)] // two items of two bytes, three bytes left
    public void ReadCount_MoreThanRemaining_ThrowsBeforeAllocating(string hex, int minimumItemBytes)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Throws<MetadataFormatException>(() => new MetadataReader(bytes).ReadCount(minimumItemBytes));
    }

    [Test]
    public void ReadInt_AboveLimitOrNegativeLimit_Throws()
    {
        var bytes = Convert.FromHexString("05");
        Assert.That(new MetadataReader(bytes).ReadInt(5), Is.EqualTo(5));
        Assert.Throws<MetadataFormatException>(() => new MetadataReader(bytes).ReadInt(4));
        Assert.Throws<MetadataFormatException>(() => new MetadataReader(Convert.FromHexString("00")).ReadInt(-1));
    }

    [TestCase("03616263", "abc")]
    [TestCase("00", "")]
    [TestCase("02c3a9", "é")]
    public void ReadString_Utf8_ReadsValue(string hex, string expected)
    {
        var reader = new MetadataReader(Convert.FromHexString(hex));
        Assert.That(reader.ReadString(), Is.EqualTo(expected));
    }

    [TestCase("04616263")] // runs past the end
    [TestCase("01ff")] // not UTF-8
    [TestCase("02c328")] // broken sequence
    public void ReadString_Malformed_Throws(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Throws<MetadataFormatException>(() => new MetadataReader(bytes).ReadString());
    }

    [TestCase("02")]
    [TestCase("ff")]
    public void ReadBoolean_NotZeroOrOne_Throws(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Throws<MetadataFormatException>(() => new MetadataReader(bytes).ReadBoolean());
    }
}
