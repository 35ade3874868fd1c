using GenVm.Wasm;
using GenVm.Wasm.Binary;

namespace GenVm.Tests.Wasm.Binary;

[TestFixture]
public sealed class InstructionReaderTests
{
    private const int Base = 100;

    [TestCase("4100", 0)]
    [TestCase("417F", -1)]
    [TestCase("41FFFFFFFF07", int.MaxValue)]
    [TestCase("4180808080 78", int.MinValue)]
    [TestCase("418080808000", 0)]
    public void Read_I32Const_DecodesSignedLeb(string hex, int expected)
    {
        var r = Reader(hex, out _);
        Assert.That(r.Read(), Is.EqualTo(Opcode.I32Const));
        Assert.That(r.I32, Is.EqualTo(expected));
        Assert.That(r.IsAtEnd, Is.True);
    }

    [TestCase("42FFFFFFFFFFFFFFFFFF00", long.MaxValue)]
    [TestCase("42808080808080808080 7F", long.MinValue)]
    [TestCase("427F", -1L)]
    public void Read_I64Const_DecodesSignedLeb(string hex, long expected)
    {
        var r = Reader(hex, out _);
        Assert.That(r.Read(), Is.EqualTo(Opcode.I64Const));
        Assert.That(r.I64, Is.EqualTo(expected));
    }

    [TestCase("4180808080 80 00", "integer representation too long", 105)]
    [TestCase("418080808070", "integer too large", 105)]
    [TestCase("41FFFFFFFF0F", "integer too large", 105)]
    [TestCase("4180", "unexpected end of section or function", 102)]
    [TestCase("42FFFFFFFFFFFFFFFFFF01", "integer too large", 110)]
    [TestCase("4280808080808080808080 00", "integer representation too long", 110)]
    [TestCase("2080808080 8000", "integer representation too long", 105)]
    [TestCase("208080808010", "integer too large", 105)]
    [TestCase("06", "illegal opcode", 100)]
    [TestCase("FC12", "illegal opcode", 100)]
    [TestCase("FD0C", "unsupported feature: SIMD", 100)]
    [TestCase("3F01", "zero byte expected", 101)]
    [TestCase("408000", "zero byte expected", 101)]
    [TestCase("282000", "malformed memop flags", 101)]
    [TestCase("284000", "malformed memop flags", 101)]
    [TestCase("D07F", "malformed reference type", 101)]
    [TestCase("43000000", "unexpected end of section or function", 104)]
    public void Read_Malformed_ThrowsWithReasonAndOffset(string hex, string reason, int offset)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", string.Empty));
        var ex = Assert.Throws<ModuleDecodeException>(() =>
        {
            var r = new InstructionReader(Pad(bytes), Base, bytes.Length);
            r.Read();
        });
        Assert.That(ex!.Reason, Is.EqualTo(reason));
        Assert.That(ex.Offset, Is.EqualTo(offset));
    }

    [Test]
    public void Read_BrTable_ExposesTargetsWithoutAllocating()
    {
        var r = Reader("0E03000102 05 0B", out _);
        Assert.That(r.Read(), Is.EqualTo(Opcode.BrTable));
        Assert.That(r.BrTableCount, Is.EqualTo(3));
        Assert.That(r.BrTableDefault, Is.EqualTo(5u));
        var targets = new List<uint>();
        foreach (var t in r.BrTableTargets)
        {
            targets.Add(t);
        }

        Assert.That(targets, Is.EqualTo(new uint[] { 0, 1, 2 }));
        Assert.That(r.Read(), Is.EqualTo(Opcode.End));
        Assert.That(r.InstructionOffset, Is.EqualTo(Base + 6));
    }

    [Test]
    public void Read_BlockTypes_DecodesAllThreeForms()
    {
        var r = Reader("0240 037F 0405 0B", out _);
        Assert.That(r.Read(), Is.EqualTo(Opcode.Block));
        Assert.That(r.BlockType.Kind, Is.EqualTo(BlockTypeKind.Empty));
        Assert.That(r.Read(), Is.EqualTo(Opcode.Loop));
        Assert.That(r.BlockType, Is.EqualTo(new BlockType(BlockTypeKind.Value, ValueKind.I32, 0)));
        Assert.That(r.Read(), Is.EqualTo(Opcode.If));
        Assert.That(r.BlockType, Is.EqualTo(new BlockType(BlockTypeKind.TypeIndex, default, 5)));
    }

    [Test]
    public void Read_MemoryAndTableImmediates_Decoded()
    {
        var r = Reader("2802 10 FC0803 00 FC0E0102 110701 FC0C0402 D205 1C017E D06F 43 0000803F 44 000000000000F03F", out _);
        Assert.That(r.Read(), Is.EqualTo(Opcode.I32Load));
        Assert.That(r.MemArg, Is.EqualTo(new MemArg(2, 16, 0)));
        Assert.That(r.Read(), Is.EqualTo(Opcode.MemoryInit));
        Assert.That(r.Index, Is.EqualTo(3u));
        Assert.That(r.Read(), Is.EqualTo(Opcode.TableCopy));
        Assert.That((r.Index, r.Index2), Is.EqualTo((1u, 2u)));
        Assert.That(r.Read(), Is.EqualTo(Opcode.CallIndirect));
        Assert.That((r.Index, r.Index2), Is.EqualTo((7u, 1u)));
        Assert.That(r.Read(), Is.EqualTo(Opcode.TableInit));
        Assert.That((r.Index, r.Index2), Is.EqualTo((4u, 2u)));
        Assert.That(r.Read(), Is.EqualTo(Opcode.RefFunc));
        Assert.That(r.Index, Is.EqualTo(5u));
        Assert.That(r.Read(), Is.EqualTo(Opcode.SelectTyped));
        Assert.That((r.SelectTypeCount, r.ValueType), Is.EqualTo((1, ValueKind.I64)));
        Assert.That(r.Read(), Is.EqualTo(Opcode.RefNull));
        Assert.That(r.ValueType, Is.EqualTo(ValueKind.ExternRef));
        Assert.That(r.Read(), Is.EqualTo(Opcode.F32Const));
        Assert.That(r.F32Bits, Is.EqualTo(BitConverter.SingleToUInt32Bits(1.0f)));
        Assert.That(r.Read(), Is.EqualTo(Opcode.F64Const));
        Assert.That(r.F64Bits, Is.EqualTo(BitConverter.DoubleToUInt64Bits(1.0)));
        Assert.That(r.IsAtEnd, Is.True);
    }

    private static byte[] Pad(byte[] code)
    {
        var module = new byte[Base + code.Length + 4];
        code.CopyTo(module, Base);
        return module;
    }

    private static InstructionReader Reader(string hex, out byte[] module)
    {
        var code = Convert.FromHexString(hex.Replace(" ", string.Empty));
        module = Pad(code);
        return new InstructionReader(module, Base, code.Length);
    }
}
