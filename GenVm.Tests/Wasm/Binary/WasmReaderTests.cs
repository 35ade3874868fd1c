using GenVm.Wasm;
using GenVm.Wasm.Binary;

namespace GenVm.Tests.Wasm.Binary;

[TestFixture]
public sealed class WasmReaderTests
{
    [TestCase("00", 0u)]
    [TestCase("7F", 127u)]
    [TestCase("8001", 128u)]
    [TestCase("FFFFFFFF0F", uint.MaxValue)]
    [TestCase("8080808000", 0u)]
    public void ReadVarUInt32_Canonical_Decodes(string hex, uint expected)
    {
        var reader = new WasmReader(Convert.FromHexString(hex), 0);
        Assert.That(reader.ReadVarUInt32(), Is.EqualTo(expected));
        Assert.That(reader.IsAtEnd, Is.True);
    }

    [TestCase("FFFFFFFF1F", "integer too large", 14)]
    [TestCase("FFFFFFFF8F00", "integer representation too long", 14)]
    [TestCase("FFFF", "unexpected end of section or function", 12)]
    [TestCase("", "unexpected end of section or function", 10)]
    public void ReadVarUInt32_Malformed_ThrowsAndKeepsPosition(string hex, string reason, int offset)
    {
        var reader = new WasmReader(Convert.FromHexString(hex), 10);
        try
        {
            reader.ReadVarUInt32();
            Assert.Fail("expected a decode error");
        }
        catch (ModuleDecodeException e)
        {
            Assert.That(e.Reason, Is.EqualTo(reason));
            Assert.That(e.Offset, Is.EqualTo(offset));
        }

        Assert.That(reader.Position, Is.EqualTo(0));
    }

    [TestCase("FFFFFFFF07", int.MaxValue)]
    [TestCase("8080808078", int.MinValue)]
    [TestCase("7F", -1)]
    [TestCase("FF7F", -1)]
    [TestCase("3F", 63)]
    [TestCase("C000", 64)]
    public void ReadVarInt32_Canonical_Decodes(string hex, int expected)
    {
        var reader = new WasmReader(Convert.FromHexString(hex), 0);
        Assert.That(reader.ReadVarInt32(), Is.EqualTo(expected));
    }

    [TestCase("FFFFFFFF0F", "integer too large")]
    [TestCase("8080808070", "integer too large")]
    [TestCase("FFFFFFFFFF00", "integer representation too long")]
    public void ReadVarInt32_Malformed_Throws(string hex, string reason)
    {
        var reader = new WasmReader(Convert.FromHexString(hex), 0);
        try
        {
            reader.ReadVarInt32();
            Assert.Fail("expected a decode error");
        }
        catch (ModuleDecodeException e)
        {
            Assert.That(e.Reason, Is.EqualTo(reason));
        }

        Assert.That(reader.Position, Is.EqualTo(0));
    }

    [TestCase("0161", "a")]
    [TestCase("03E282AC", "\u20AC")]
    [TestCase("00", "")]
    public void ReadName_WellFormedUtf8_Decodes(string hex, string expected)
    {
        var reader = new WasmReader(Convert.FromHexString(hex), 0);
        Assert.That(reader.ReadName(), Is.EqualTo(expected));
    }

    [TestCase("02C080")]
    [TestCase("03EDA080")]
    [TestCase("01FF")]
    [TestCase("0180")]
    [TestCase("04F4908080")]
    public void ReadName_MalformedUtf8_Throws(string hex)
    {
        var reader = new WasmReader(Convert.FromHexString(hex), 0);
        try
        {
            reader.ReadName();
            Assert.Fail("expected a decode error");
        }
        catch (ModuleDecodeException e)
        {
            Assert.That(e.Reason, Is.EqualTo("malformed UTF-8 encoding"));
        }

        Assert.That(reader.Position, Is.EqualTo(0));
    }

    [Test]
    public void ReadLength_PastEnd_LengthOutOfBounds()
    {
        var reader = new WasmReader(Convert.FromHexString("0561"), 0);
        try
        {
            reader.ReadLength();
            Assert.Fail("expected a decode error");
        }
        catch (ModuleDecodeException e)
        {
            Assert.That(e.Reason, Is.EqualTo("length out of bounds"));
        }

        Assert.That(reader.Position, Is.EqualTo(0));
    }
}
