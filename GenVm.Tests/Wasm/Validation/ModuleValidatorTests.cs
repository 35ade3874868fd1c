using GenVm.Tests.Wasm.Binary;
using GenVm.Wasm;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Validation;
using static GenVm.Tests.Wasm.Binary.ModuleBytes;

namespace GenVm.Tests.Wasm.Validation;

[TestFixture]
public sealed class ModuleValidatorTests
{
    [TestCase("(module (func (result i32) (i64.const 1)))", "type mismatch")]
    [TestCase("(module (func (i32.const 1)))", "type mismatch")]
    [TestCase("(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)))))", "type mismatch")]
    [TestCase("(module (func (block (br_table 0 2 (i32.const 0)))))", "unknown label 2")]
    [TestCase("(module (func (result i32) (block (result i32) (block (br_table 0 1 (i32.const 7) (i32.const 0)))) ))", "type mismatch")]
    [TestCase("(module (func (local.get 3)))", "unknown local 3")]
    [TestCase("(module (func (drop (global.get 0))))", "unknown global 0")]
    [TestCase("(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))", "global is immutable")]
    [TestCase("(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))", "alignment must not be larger than natural")]
    [TestCase("(module (func (drop (i32.load (i32.const 0)))))", "unknown memory 0")]
    [TestCase("(module (func (drop (memory.size))))", "unknown memory 0")]
    [TestCase("(module (func (export \"a\")) (func (export \"a\")))", "duplicate export name")]
    [TestCase("(module (func $f (param i32)) (start $f))", "start function")]
    [TestCase("(module (start 3))", "unknown function 3")]
    [TestCase("(module (func (call 5)))", "unknown function 5")]
    [TestCase("(module (type (func)) (func (call_indirect (type 0) (i32.const 0))))", "unknown table 0")]
    [TestCase("(module (table 1 externref) (type (func)) (func (call_indirect (type 0) (i32.const 0))))", "type mismatch")]
    [TestCase("(module (br 1))", null)]
    [TestCase("(module (func (br 1)))", "unknown label 1")]
    [TestCase("(module (memory 1) (data \"\") (func (data.drop 3)))", "unknown data segment 3")]
    [TestCase("(module (func (elem.drop 2)))", "unknown elem segment 2")]
    [TestCase("(module (func $f) (func (drop (ref.func $f))))", "undeclared function reference")]
    [TestCase("(module (memory 65537))", "memory size must be at most 65536 pages (4GiB)")]
    [TestCase("(module (memory 2 1))", "size minimum must not be greater than maximum")]
    [TestCase("(module (table 2 1 funcref))", "size minimum must not be greater than maximum")]
    [TestCase("(module (func $g (result i64) (i64.const 0)) (func (result i32) (return_call $g)))", "type mismatch")]
    [TestCase("(module (global (mut i32) (i32.const 0)) (global i32 (global.get 0)))", "unknown global 0")]
    [TestCase("(module (import \"a\" \"b\" (global (mut i32))) (global i32 (global.get 0)))", "constant expression required")]
    [TestCase("(module (global i32 (i64.const 0)))", "type mismatch")]
    [TestCase("(module (table 1 funcref) (elem (i32.const 0) externref (ref.null extern)))", "type mismatch")]
    [TestCase("(module (func (result i32) (unreachable) (i32.add)))", null)]
    [TestCase("(module (func (result i32) (unreachable) (select)))", null)]
    [TestCase("(module (func (result i32) (block (result i32) (br 0 (i32.const 1)) (i64.const 2))))", "type mismatch")]
    [TestCase("(module (func $f) (elem declare func $f) (func (drop (ref.func $f))))", null)]
    [TestCase("(module (func $f (export \"f\")) (func (drop (ref.func $f))))", null)]
    public void Validate_WatModule_ReportsSpecText(string wat, string? expected)
    {
        if (wat == "(module (br 1))")
        {
            // Instruction outside a function is a text-format error; kept to pin that wat2wasm rejects it.
            Assert.Throws<InvalidOperationException>(() => Wat.ToWasm(wat, "--no-check"));
            return;
        }

        var module = ModuleDecoder.Decode(Wat.ToWasm(wat, "--no-check"), WasmFeatures.Default);
        if (expected is null)
        {
            Assert.DoesNotThrow(() => ModuleValidator.Validate(module, WasmFeatures.Default));
            return;
        }

        var ex = Assert.Throws<ModuleValidationException>(() => ModuleValidator.Validate(module, WasmFeatures.Default));
        Assert.That(ex!.Reason, Is.EqualTo(expected));
    }

    [Test]
    public void Validate_BodyError_NamesFunctionIndexAndOffset()
    {
        // Function 1 (after one import): `i64.const 1; end` where i32 is expected; the error is at the final end.
        var bytes = Wat.ToWasm("(module (import \"a\" \"b\" (func)) (func (result i32) (i64.const 1)))", "--no-check");
        var module = ModuleDecoder.Decode(bytes, WasmFeatures.Default);
        var body = module.Bodies.Single();
        var ex = Assert.Throws<ModuleValidationException>(() => ModuleValidator.Validate(module, WasmFeatures.Default));

        Assert.That(ex!.FunctionIndex, Is.EqualTo(1u));
        Assert.That(ex.Offset, Is.EqualTo(body.CodeOffset + 2));
        Assert.That(ex.Message, Is.EqualTo($"type mismatch (in function 1 at offset 0x{body.CodeOffset + 2:x})"));
    }

    [Test]
    public void Validate_MultipleMemories_Rejected()
    {
        var module = ModuleDecoder.Decode(Module(Section(5, "02 00 01 00 01")), WasmFeatures.Default);
        var ex = Assert.Throws<ModuleValidationException>(() => ModuleValidator.Validate(module, WasmFeatures.Default));
        Assert.That(ex!.Reason, Is.EqualTo("multiple memories"));
    }

    [TestCase("00", "invalid result arity")]
    [TestCase("02 7F 7F", "invalid result arity")]
    [TestCase("01 7F", null)]
    public void Validate_TypedSelectArity_OnlyOneType(string types, string? expected)
    {
        // (func (result i32) i32.const 1; i32.const 2; i32.const 0; select <types>; end)
        var code = "00 41 01 41 02 41 00 1C " + types + " 0B";
        var body = Leb(Clean(code).Length / 2) + code;
        var module = ModuleDecoder.Decode(Module(Section(1, "01 60 00 01 7F"), Section(3, "01 00"), Section(10, "01" + body)), WasmFeatures.Default);
        if (expected is null)
        {
            Assert.DoesNotThrow(() => ModuleValidator.Validate(module, WasmFeatures.Default));
            return;
        }

        var ex = Assert.Throws<ModuleValidationException>(() => ModuleValidator.Validate(module, WasmFeatures.Default));
        Assert.That(ex!.Reason, Is.EqualTo(expected));
    }

    [Test]
    public void Validate_NonConstantInitialiser_ConstantExpressionRequired()
    {
        // (global i32 nop i32.const 0 end)
        var module = ModuleDecoder.Decode(Module(Section(6, "01 7F 00 01 41 00 0B")), WasmFeatures.Default);
        var ex = Assert.Throws<ModuleValidationException>(() => ModuleValidator.Validate(module, WasmFeatures.Default));
        Assert.That(ex!.Reason, Is.EqualTo("constant expression required"));
    }

    [Test]
    public void Validate_BlockTypeIndexOutOfRange_UnknownType()
    {
        // (func block (type 9) end end)
        var module = ModuleDecoder.Decode(Module(Section(1, "01 60 00 00"), Section(3, "01 00"), Section(10, "01 05 00 02 09 0B 0B")), WasmFeatures.Default);
        var ex = Assert.Throws<ModuleValidationException>(() => ModuleValidator.Validate(module, WasmFeatures.Default));
        Assert.That(ex!.Reason, Is.EqualTo("unknown type 9"));
    }

    [TestCase(WasmFeatures.Wasm2, "(module (func $f) (func (return_call $f)))", "unsupported feature: tail calls")]
    [TestCase(WasmFeatures.Wasm2, "(module (type (func)) (table 1 funcref) (func (return_call_indirect (type 0) (i32.const 0))))", "unsupported feature: tail calls")]
    [TestCase(WasmFeatures.None, "(module (func (drop (i32.extend8_s (i32.const 1)))))", "unsupported feature: sign extension")]
    [TestCase(WasmFeatures.None, "(module (func (drop (i32.trunc_sat_f32_s (f32.const 1)))))", "unsupported feature: saturating float-to-int conversions")]
    [TestCase(WasmFeatures.None, "(module (func (result i32 i32) (i32.const 1) (i32.const 2)))", "unsupported feature: multi-value")]
    [TestCase(WasmFeatures.None, "(module (func (i32.const 1) (block (param i32) (drop))))", "unsupported feature: multi-value")]
    [TestCase(WasmFeatures.None, "(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))", "unsupported feature: bulk memory")]
    [TestCase(WasmFeatures.None, "(module (memory 1) (data \"x\"))", "unsupported feature: bulk memory")]
    [TestCase(WasmFeatures.None, "(module (func (drop (ref.null extern))))", "unsupported feature: reference types")]
    [TestCase(WasmFeatures.None, "(module (func (param externref)))", "unsupported feature: reference types")]
    [TestCase(WasmFeatures.None, "(module (import \"a\" \"b\" (global (mut i32))))", "unsupported feature: mutable globals")]
    [TestCase(WasmFeatures.None, "(module (global (export \"g\") (mut i32) (i32.const 0)))", "unsupported feature: mutable globals")]
    [TestCase(WasmFeatures.Default, "(module (func (param v128)))", "unsupported feature: SIMD")]
    [TestCase(WasmFeatures.Default | WasmFeatures.Simd, "(module (func (local v128)))", "unsupported feature: SIMD")]
    public void Validate_DisabledFeature_RejectedNamingIt(WasmFeatures features, string wat, string expected)
    {
        var bytes = Wat.ToWasm(wat);
        var module = ModuleDecoder.Decode(bytes, features);
        var ex = Assert.Throws<ModuleValidationException>(() => ModuleValidator.Validate(module, features));
        Assert.That(ex!.Reason, Is.EqualTo(expected));

        // The same module passes with every (implemented) feature on, unless it uses SIMD.
        if (!expected.EndsWith("SIMD", StringComparison.Ordinal))
        {
            Assert.DoesNotThrow(() => ModuleValidator.Validate(ModuleDecoder.Decode(bytes, WasmFeatures.Default), WasmFeatures.Default));
        }
    }

    [Test]
    public void Validate_NoFeatures_MvpModuleAccepted()
    {
        var bytes = Wat.ToWasm("""
            (module
              (memory 1)
              (table 2 funcref)
              (global $g (mut i32) (i32.const 0))
              (func $f (param i32) (result i32)
                (drop (block (result i32)
                  (loop
                    (br_if 1 (local.get 0) (i32.eqz (local.get 0)))
                    (global.set $g (i32.add (global.get $g) (i32.const 1)))
                    (br 0))
                  (i32.const 0)))
                (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0)))
              (elem (i32.const 0) $f $f))
            """);
        Assert.DoesNotThrow(() => ModuleValidator.Validate(ModuleDecoder.Decode(bytes, WasmFeatures.None), WasmFeatures.None));
    }

    [TestCase("(func (result i32) (i32.add (i32.const 1) (i32.const 2)))", 2)]
    [TestCase("(func (result i32) (i32.const 1) (block (result i32) (i32.const 2) (i32.const 3) (i32.add)) (i32.add))", 3)]
    [TestCase("(func (unreachable) (i32.const 1) (i32.const 2) (drop) (drop))", 0)]
    [TestCase("(func (param i32) (result i32) (local.get 0) (loop (param i32) (result i32) (i32.const 1) (i32.add)))", 2)]
    [TestCase("(func (unreachable) (block (i32.const 1) (i32.const 2) (drop) (drop)))", 0)]
    [TestCase("(func (block (br 0) (block (i32.const 1) (i32.const 2) (drop) (drop))) (i32.const 3) (drop))", 1)]
    [TestCase("(func (local i64 i64 i64))", 0)]
    [TestCase("(func (result i32) (i32.const 1) (if (result i32) (then (i32.const 2) (i32.const 3) (i32.const 4) (drop) (drop)) (else (i32.const 5)))) ", 3)]
    public void Validate_ValidBody_RecordsMaxStackHeight(string func, int expected)
    {
        var module = ModuleDecoder.Decode(Wat.ToWasm("(module " + func + ")"), WasmFeatures.Default);
        ModuleValidator.Validate(module, WasmFeatures.Default);
        var body = module.Bodies.Single();
        Assert.That(body.MaxStackHeight, Is.EqualTo(expected));
        Assert.That(body.StackCost, Is.EqualTo(body.Locals.Length + expected));
    }
}
