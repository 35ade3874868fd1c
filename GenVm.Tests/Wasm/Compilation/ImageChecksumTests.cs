using System.Buffers.Binary;
using System.Text;
using GenVm.Wasm.Compilation;

namespace GenVm.Tests.Wasm.Compilation;

[TestFixture]
internal sealed class ImageChecksumTests
{
    [Test]
    public void Compute_ShortInput_LastLaneIsTheStandardCrc32cCheckValue()
    {
        // "123456789" is shorter than four words, so all of it falls in the last lane; 0xE3069283 is CRC-32C's
        // published check value, and the three empty lanes give CRC-32C of nothing (0).
        var sum = ImageChecksum.Compute(Encoding.ASCII.GetBytes("123456789"));

        Assert.That(Encoding.ASCII.GetString(sum, 0, 8), Is.EqualTo("crc32cx4"));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(sum.AsSpan(8)), Is.EqualTo(9UL));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(sum.AsSpan(16)), Is.Zero);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(sum.AsSpan(28)), Is.EqualTo(0xE3069283u));
    }

    [TestCase(0)]
    [TestCase(31)]
    [TestCase(32)]
    [TestCase(33)]
    [TestCase(4099)]
    [TestCase(1 << 20)]
    public void Compute_InstructionAndTablePaths_Agree(int length)
    {
        var image = new byte[length];
        new Random(length).NextBytes(image);
        var hardware = new byte[ImageChecksum.Size];
        var table = new byte[ImageChecksum.Size];

        ImageChecksum.Compute(image, hardware, hardware: true);
        ImageChecksum.Compute(image, table, hardware: false);

        Assert.That(hardware, Is.EqualTo(table));
    }

    [Test]
    public void Compute_AnySingleBitFlipOrTruncation_ChangesTheChecksum()
    {
        var image = new byte[10_007];
        new Random(7).NextBytes(image);
        var original = ImageChecksum.Compute(image);
        var random = new Random(11);
        for (var i = 0; i < 2_000; i++)
        {
            var damaged = (byte[])image.Clone();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            Assert.That(ImageChecksum.Compute(damaged), Is.Not.EqualTo(original));
        }

        Assert.That(ImageChecksum.Compute(image.AsSpan(0, image.Length - 1)), Is.Not.EqualTo(original));
    }
}
