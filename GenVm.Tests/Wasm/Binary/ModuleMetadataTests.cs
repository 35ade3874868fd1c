using GenVm.Wasm;
using GenVm.Wasm.Binary;

namespace GenVm.Tests.Wasm.Binary;

/// <summary>Module metadata (<see cref="ModuleMetadata"/>) round-trips what a compile cache hit needs of a decoded module.</summary>
[TestFixture]
public sealed class ModuleMetadataTests
{
    private static readonly string[] Modules =
    [
        "(module)",
        """
        (module $m
          (import "a" "f" (func (param i64 f32) (result f64)))
          (import "a" "t" (table 1 externref))
          (import "a" "g" (global (mut f64)))
          (memory 2 65536)
          (global i32 (i32.const -5)) (global f64 (f64.const nan:0x4)) (global externref (ref.null extern))
          (table 0 funcref)
          (elem (table 1) (i32.const 0) func $only)
          (data (i32.const 7) "\00\ff")
          (func $only (export "e") (result i32) (i32.const 1))
          (export "mem" (memory 0)))
        """,
    ];

    [TestCaseSource(nameof(Modules))]
    public void Read_WrittenMetadata_RebuildsTheSameMetadata(string wat)
    {
        var wasm = WatCompiler.Compile(wat);
        var decoded = ModuleDecoder.Decode(wasm, WasmFeatures.Default);
        var written = Encode(decoded);
        var rebuilt = ModuleMetadata.Read(written, wasm);

        Assert.That(Encode(rebuilt), Is.EqualTo(written));
        Assert.That(rebuilt.HasCode, Is.False);
        Assert.That(rebuilt.Bodies, Is.Empty);
        Assert.That(rebuilt.TotalFunctionCount, Is.EqualTo(decoded.TotalFunctionCount));
        Assert.That(rebuilt.GetImportDescriptors(), Is.EqualTo(decoded.GetImportDescriptors()));
        Assert.That(rebuilt.Exports, Is.EqualTo(decoded.Exports));
        Assert.That(rebuilt.Names.ModuleName, Is.EqualTo(decoded.Names.ModuleName));
        Assert.That(rebuilt.Names.FunctionNames, Is.EqualTo(decoded.Names.FunctionNames));
    }

    [Test]
    public void Read_OtherBinaryLength_Throws()
    {
        var wasm = WatCompiler.Compile(Modules[1]);
        var written = Encode(ModuleDecoder.Decode(wasm, WasmFeatures.Default));
        Assert.Throws<MetadataFormatException>(() => ModuleMetadata.Read(written, [.. wasm, 0]));
    }

    [Test]
    public void Read_EveryTruncation_Throws()
    {
        var wasm = WatCompiler.Compile(Modules[1]);
        var written = Encode(ModuleDecoder.Decode(wasm, WasmFeatures.Default));
        for (var length = 0; length < written.Length; length++)
        {
            Assert.Throws<MetadataFormatException>(() => ModuleMetadata.Read(written.AsSpan(0, length), wasm), $"length {length}");
        }
    }

    [Test]
    public void Read_EveryByteChanged_ThrowsOrStaysConsistent()
    {
        // Damage the entry's hash does not catch is still never a crash: either a format error or a definition
        // whose indices and ranges are within the module (the reader checks them).
        var wasm = WatCompiler.Compile(Modules[1]);
        var written = Encode(ModuleDecoder.Decode(wasm, WasmFeatures.Default));
        for (var i = 0; i < written.Length; i++)
        {
            foreach (var flip in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = (byte[])written.Clone();
                damaged[i] ^= flip;
                try
                {
                    var definition = ModuleMetadata.Read(damaged, wasm);
                    Assert.That(definition.Datas.All(d => d.DataOffset + (long)d.DataLength <= wasm.Length), $"byte {i}");
                    Assert.That(definition.Exports.All(e => e.Index < 70000), $"byte {i}");
                }
                catch (MetadataFormatException)
                {
                }
            }
        }
    }

    private static byte[] Encode(ModuleDefinition definition)
    {
        var writer = new MetadataWriter();
        ModuleMetadata.Write(definition, writer);
        return writer.Encode();
    }
}
