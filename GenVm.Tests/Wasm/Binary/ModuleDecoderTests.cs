using GenVm.Wasm;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Validation;
using static GenVm.Tests.Wasm.Binary.ModuleBytes;

namespace GenVm.Tests.Wasm.Binary;

[TestFixture]
public sealed class ModuleDecoderTests
{
    private const string OneType = "01 04 01 60 00 00";
    private const string OneFunction = "03 02 01 00";

    [TestCase("", "unexpected end", 0)]
    [TestCase("0061736D", "unexpected end", 4)]
    [TestCase("0061736E01000000", "magic header not detected", 0)]
    [TestCase("0061736D02000000", "unknown binary version", 4)]
    [TestCase("0061736D01000000 0E0100", "malformed section id", 8)]
    [TestCase("0061736D01000000 010100 010100", "unexpected content after last section", 11)]
    [TestCase("0061736D01000000 0A0100 030100", "unexpected content after last section", 11)]
    [TestCase("0061736D01000000 010501600000", "length out of bounds", 9)]
    [TestCase("0061736D01000000 01050160000000", "section size mismatch", 14)]
    [TestCase("0061736D01000000 010401600000 03020100", "function and code section have inconsistent lengths", 18)]
    [TestCase("0061736D01000000 0C0101", "data count and data section have inconsistent lengths", 11)]
    [TestCase("0061736D01000000 0208 01 01FF 0161 037F00", "malformed UTF-8 encoding", 11)]
    [TestCase("0061736D01000000 0208 01 0161 02C0AF 037F00", "malformed UTF-8 encoding", 13)]
    [TestCase("0061736D01000000 010401600000 03020100 0A08 01 06 01D18603 7F 0B", "too many locals", 21)]
    [TestCase("0061736D01000000 0503 01 02 00", "integer too large", 11)]
    [TestCase("0061736D01000000 0504 01 81 00 00", "integer representation too long", 12)]
    [TestCase("0061736D01000000 0105 FFFFFFFF0F", "unexpected end of section or function", 15)]
    [TestCase("0061736D01000000 0606 01 7F02 41000B", "malformed mutability", 12)]
    [TestCase("0061736D01000000 0203 01 00 00", "unexpected end of section or function", 13)]
    [TestCase("0061736D01000000 0207 01 0161 0161 05 00", "malformed import kind", 15)]
    [TestCase("0061736D01000000 010401600000 03020100 0A05 01 03 00 4100", "unexpected end of section or function", 25)]
    [TestCase("0061736D01000000 010401600000 03020100 0A05 01 03 00 060B", "illegal opcode", 23)]
    [TestCase("0061736D01000000 010401600000 03020100 0A05 01 03 00 FD0C", "unsupported feature: SIMD", 23)]
    [TestCase("0061736D01000000 010401600000 03020100 05030100 01 0A07 01 05 00 FC0900 0B", "data count section required", 28)]
    [TestCase("0061736D01000000 010401600000 03020100 0A07 01 05 00 01 0B 01 0B", "section size mismatch", 25)]
    [TestCase("0061736D01000000 010401600000 03020100 0A05 01 03 00 050B", "END opcode expected", 23)]
    [TestCase("0061736D01000000 0B06 01 00 41000B 01", "unexpected end of section or function", 16)]
    [TestCase("0061736D01000000 0907 01 08 41000B 0100", "malformed elements segment kind", 11)]
    [TestCase("0061736D01000000 0B07 01 03 41000B 0161", "malformed data segment kind", 11)]
    [TestCase("0061736D01000000 0006 03 FFFEFD 0000", "malformed UTF-8 encoding", 10)]
    public void Decode_MalformedBinary_ThrowsReasonAndOffset(string hex, string reason, long offset)
    {
        var bytes = Convert.FromHexString(Clean(hex));
        var ex = Assert.Throws<ModuleDecodeException>(() => ModuleDecoder.Decode(bytes, WasmFeatures.Default));
        Assert.That(ex!.Reason, Is.EqualTo(reason));
        Assert.That(ex.Offset, Is.EqualTo(offset));
        Assert.That(ex.Message, Does.EndWith($"(at offset 0x{offset:x})"));
    }

    [Test]
    public void Decode_EmptyModule_HasNoEntries()
    {
        var module = ModuleDecoder.Decode(Module(), WasmFeatures.Default);
        Assert.That(module.Types, Is.Empty);
        Assert.That(module.Bodies, Is.Empty);
        Assert.That(module.StartFunction, Is.Null);
        Assert.That(module.DataCount, Is.Null);
    }

    [Test]
    public void Decode_AllEightElementEncodings_NormalisedToExpressions()
    {
        var elements = Section(9, "08"
            + "00 41000B 01 00"
            + "01 00 01 00"
            + "02 00 41000B 00 01 00"
            + "03 00 01 00"
            + "04 41000B 01 D2000B"
            + "05 70 01 D0700B"
            + "06 00 41000B 70 01 D2000B"
            + "07 70 01 D2000B");
        var bytes = Module(OneType, OneFunction, Section(4, "01 70 00 01"), elements, Section(10, "01 02 00 0B"));

        var module = ModuleDecoder.Decode(bytes, WasmFeatures.Default);
        ModuleValidator.Validate(module, WasmFeatures.Default);

        Assert.That(module.Elements.Select(e => e.Mode), Is.EqualTo(new[]
        {
            SegmentMode.Active, SegmentMode.Passive, SegmentMode.Active, SegmentMode.Declarative,
            SegmentMode.Active, SegmentMode.Passive, SegmentMode.Active, SegmentMode.Declarative,
        }));
        Assert.That(module.Elements.Select(e => e.Flags), Is.EqualTo(new uint[] { 0, 1, 2, 3, 4, 5, 6, 7 }));
        Assert.That(module.Elements.All(e => e.ElementKind == ValueKind.FuncRef), Is.True);
        Assert.That(module.Elements.All(e => e.Items.Count == 1), Is.True);
        Assert.That(module.Elements.Where(e => e.Mode == SegmentMode.Active).All(e => e.Offset is { Instructions.Count: 1 }), Is.True);
        var items = module.Elements.Select(e => e.Items[0].Instructions.Single()).ToArray();
        Assert.That(items[5].Opcode, Is.EqualTo(Opcode.RefNull));
        Assert.That(items[5].RefKind, Is.EqualTo(ValueKind.FuncRef));
        Assert.That(items.Where((_, i) => i != 5).All(i => i.Opcode == Opcode.RefFunc && i.Index == 0), Is.True);
    }

    [Test]
    public void Decode_NameSection_ReadsModuleAndFunctionNames()
    {
        var names = Section(0, "04 6E616D65" + "00 02 01 6D" + "01 04 01 00 01 66");
        var module = ModuleDecoder.Decode(Module(OneType, OneFunction, Section(10, "01 02 00 0B"), names), WasmFeatures.Default);

        Assert.That(module.Names.ModuleName, Is.EqualTo("m"));
        Assert.That(module.Names.FunctionNames[0], Is.EqualTo("f"));
        Assert.That(module.CustomSections.Single().Name, Is.EqualTo("name"));
    }

    [TestCase("01 04 01 00 01 FF")]
    [TestCase("01 09 01 00 01 66")]
    [TestCase("01 05 02 00 01 66 00")]
    [TestCase("00 02 01 6D 00 02 01 6D")]
    public void Decode_MalformedNameSection_IgnoredNotFatal(string subsections)
    {
        var names = Section(0, "04 6E616D65" + subsections);
        var module = ModuleDecoder.Decode(Module(OneType, OneFunction, Section(10, "01 02 00 0B"), names), WasmFeatures.Default);

        Assert.That(module.Names.ModuleName, Is.Null);
        Assert.That(module.Names.FunctionNames, Is.Empty);
        Assert.That(module.Bodies, Has.Count.EqualTo(1));
    }

    [Test]
    public void Decode_Body_DelimitsLocalsAndCode()
    {
        // Two local groups (2 x i64, 1 x f32), then `local.get 0; drop; end`.
        var bytes = Module(OneType, OneFunction, Section(10, "01 09 02 02 7E 01 7D 20 00 1A 0B"));
        var module = ModuleDecoder.Decode(bytes, WasmFeatures.Default);
        var body = module.Bodies.Single();

        Assert.That(body.Locals, Is.EqualTo(new[] { ValueKind.I64, ValueKind.I64, ValueKind.F32 }));
        Assert.That(body.BodyOffset, Is.EqualTo(21));
        Assert.That(body.CodeOffset, Is.EqualTo(27));
        Assert.That(body.CodeLength, Is.EqualTo(4));
        Assert.That(module.Bytes[body.CodeOffset + body.CodeLength - 1], Is.EqualTo(0x0B));
    }

    [Test]
    public void Decode_ImportsAndExports_ResolvedIndexSpaces()
    {
        var bytes = Wat.ToWasm("""
            (module $mod
              (import "env" "f" (func $f (param i32) (result i32)))
              (import "env" "g" (global $g (mut i64)))
              (import "env" "m" (memory 1 2))
              (import "env" "t" (table 3 funcref))
              (func $h (export "h") (param i32) (result i32) (call $f (local.get 0)))
              (global (export "k") i32 (i32.const 7))
              (data (i32.const 0) "hi"))
            """, "--debug-names");
        var module = ModuleDecoder.Decode(bytes, WasmFeatures.Default);
        ModuleValidator.Validate(module, WasmFeatures.Default);

        Assert.That(module.ImportedFunctionCount, Is.EqualTo(1));
        Assert.That(module.ImportedGlobalCount, Is.EqualTo(1));
        Assert.That(module.TotalMemoryCount, Is.EqualTo(1));
        Assert.That(module.GetMemoryType(0).Limits, Is.EqualTo(new Limits(1, 2)));
        Assert.That(module.GetTableType(0).Limits, Is.EqualTo(new Limits(3, null)));
        Assert.That(module.GetGlobalType(0), Is.EqualTo(new GlobalType(ValueKind.I64, true)));
        Assert.That(module.GetGlobalType(1), Is.EqualTo(new GlobalType(ValueKind.I32, false)));
        Assert.That(module.GetFunctionType(1).ToString(), Is.EqualTo("[i32] -> [i32]"));
        Assert.That(module.Exports.Select(e => (e.Name, e.Kind, e.Index)), Is.EqualTo(new[] { ("h", ExternKind.Func, 1u), ("k", ExternKind.Global, 1u) }));
        Assert.That(module.Datas.Single().DataLength, Is.EqualTo(2));
        Assert.That(module.Bytes.AsSpan(module.Datas[0].DataOffset, 2).ToArray(), Is.EqualTo("hi"u8.ToArray()));
        Assert.That(module.Names.ModuleName, Is.EqualTo("mod"));
        Assert.That(module.Names.FunctionNames[1], Is.EqualTo("h"));
    }

    [Test]
    public void Decode_HugeDeclaredCounts_FailWithoutAllocating()
    {
        // Every vector count says 2^32-1 with nothing behind it.
        foreach (var id in new[] { 1, 2, 3, 4, 5, 6, 7, 9, 10, 11 })
        {
            var bytes = Module(Section(id, "FFFFFFFF0F"));
            var ex = Assert.Throws<ModuleDecodeException>(() => ModuleDecoder.Decode(bytes, WasmFeatures.Default), $"section {id}");
            Assert.That(ex!.Reason, Is.EqualTo("unexpected end of section or function"));
        }
    }

    [Test]
    public void Decode_InputCopied_LaterChangesIgnored()
    {
        var bytes = Module(OneType, OneFunction, Section(10, "01 02 00 0B"));
        var module = ModuleDecoder.Decode(bytes, WasmFeatures.Default);
        bytes[^1] = 0xFF;
        Assert.That(module.Bytes[^1], Is.EqualTo(0x0B));
    }
}
