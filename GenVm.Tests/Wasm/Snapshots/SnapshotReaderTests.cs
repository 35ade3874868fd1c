using GenVm.Wasm.Snapshots;

namespace GenVm.Tests.Wasm.Snapshots;

/// <summary>
/// <see cref="SnapshotReader"/> and <see cref="SnapshotWriter"/>: little-endian vectors, lengths checked before
/// anything is allocated, and a failed read leaves the position unchanged and reports the file offset.
/// </summary>
[TestFixture]
public sealed class SnapshotReaderTests
{
    [Test]
    public void Write_Fields_GivesLittleEndianVector()
    {
        var writer = new SnapshotWriter();
        writer.WriteByte(0xAB);
        writer.WriteUInt32(0x01020304);
        writer.WriteInt64(-2);
        writer.WriteString("é");
        writer.WriteBytes([7]);

        Assert.That(Convert.ToHexString(writer.Encode()), Is.EqualTo("AB04030201FEFFFFFFFFFFFFFF02000000C3A9010000" + "0007"));
    }

    [Test]
    public void Read_Vector_GivesFieldsAndConsumesAll()
    {
        var reader = new SnapshotReader(Convert.FromHexString("AB04030201FEFFFFFFFFFFFFFF02000000C3A90100000007"));

        Assert.That(reader.ReadByte(), Is.EqualTo(0xAB));
        Assert.That(reader.ReadUInt32(), Is.EqualTo(0x01020304u));
        Assert.That(reader.ReadInt64(), Is.EqualTo(-2L));
        Assert.That(reader.ReadString(), Is.EqualTo("é"));
        Assert.That(reader.ReadBytes().ToArray(), Is.EqualTo(new byte[] { 7 }));
        Assert.That(reader.BytesRemaining, Is.Zero);
    }

    [TestCase("010203", "u32")]
    [TestCase("05000000AABB", "string")]
    [TestCase("FFFFFFFF", "string")]
    [TestCase("02000000C328", "utf8")]
    [TestCase("02", "bool")]
    [TestCase("03000000AABBCCDD", "count")]
    [TestCase("FFFFFF7F", "count")]
    public void Read_Malformed_ThrowsAndKeepsPosition(string hex, string what)
    {
        var bytes = Convert.FromHexString("EE" + hex);
        var reader = new SnapshotReader(bytes, baseOffset: 100);
        reader.ReadByte();
        SnapshotFormatException? caught = null;
        try
        {
            _ = what switch
            {
                "u32" => (long)reader.ReadUInt32(),
                "string" or "utf8" => reader.ReadString().Length,
                "bool" => reader.ReadBoolean() ? 1 : 0,
                _ => reader.ReadCount(minimumElementBytes: 4),
            };
        }
        catch (SnapshotFormatException ex)
        {
            caught = ex;
        }

        Assert.That(caught, Is.Not.Null);
        Assert.That(caught!.Offset, Is.EqualTo(101), "the offset of the failed field, counted from the file start");
        Assert.That(reader.BytesConsumed, Is.EqualTo(1), "a failed read does not advance");
    }

    [Test]
    public void ReadCount_AboveLimit_Throws()
    {
        var reader = new SnapshotReader(Convert.FromHexString("0500000000000000000000000000000000000000"));
        SnapshotFormatException? caught = null;
        try
        {
            reader.ReadCount(1, limit: 4);
        }
        catch (SnapshotFormatException ex)
        {
            caught = ex;
        }

        Assert.That(caught?.Reason, Does.Contain("exceeds the limit"));
    }
}
