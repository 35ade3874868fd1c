using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using GenVm.Wasm;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Compilation;
using GenVm.Wasm.Snapshots;
using GenVm.Wasm.Validation;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// A compile cache hit rebuilds the module from the entry's metadata (<see cref="ModuleMetadata"/>): no decoding, no
/// validation, identical behaviour to a miss; damaged or outdated metadata makes the entry be rebuilt.
/// </summary>
[TestFixture]
[NonParallelizable] // reads process-wide decode/validate/compile counters
public sealed class ModuleCacheMetadataTests
{
    // Imports of every kind a hit must rebuild, a start function, passive and active segments (one active data
    // segment placed by an imported global), a declarative element segment, expression items, names and a trap.
    private const string Wat = """
        (module $rich
          (import "env" "log" (func $log (param i32)))
          (import "env" "base" (global $base i32))
          (import "env" "mem" (memory 1 4))
          (import "env" "tab" (table 2 funcref))
          (type $ii (func (param i32) (result i32)))
          (global $seen (export "seen") (mut i32) (i32.const 0))
          (global $wide i64 (i64.const 42))
          (global $f32 f32 (f32.const -1.5))
          (global $ref funcref (ref.func $twice))
          (table $own 4 8 funcref)
          (elem (table $own) (i32.const 1) func $twice $thrice)
          (elem $later funcref (ref.func $thrice) (ref.null func))
          (elem declare func $start)
          (data (global.get $base) "meta")
          (data $passive "data!")
          (start $start)
          (func $start (global.set $seen (i32.add (global.get $seen) (i32.const 1))) (call $log (i32.const 99)))
          (func $twice (type $ii) (i32.mul (local.get 0) (i32.const 2)))
          (func $thrice (type $ii) (i32.mul (local.get 0) (i32.const 3)))
          (func $deep_trap (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (unreachable)) (else (call $deep_trap (i32.sub (local.get 0) (i32.const 1))))))
          (func (export "dispatch") (param i32 i32) (result i32)
            (call_indirect $own (type $ii) (local.get 1) (local.get 0)))
          (func (export "init_passive") (param i32)
            (memory.init $passive (local.get 0) (i32.const 0) (i32.const 5))
            (table.init $own $later (i32.const 2) (i32.const 0) (i32.const 2)))
          (func (export "trap") (result i32) (call $deep_trap (i32.const 2)))
          (func (export "wide") (result i64) (global.get $wide))
          (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0))))
        """;

    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Path.Combine(Path.GetTempPath(), "genvm-cache-meta-tests-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public void FromBytes_Hit_DecodesValidatesAndCompilesNothing()
    {
        var wasm = UniqueWasm();
        var miss = Module.FromBytes(CachingEngine(), wasm);
        Assert.That(miss.IsFromCache, Is.False);
        var (decodes, validations, compilations) = Counters();

        var inProcessHit = Module.FromBytes(CachingEngine(), wasm);
        ModuleCache.Forget(ModuleCache.Key(CachingEngine().Config, wasm)); // as in a fresh process
        var diskHit = Module.FromBytes(CachingEngine(), wasm);

        Assert.That(inProcessHit.IsFromCache, Is.True);
        Assert.That(diskHit.IsFromCache, Is.True);
        Assert.That(Counters(), Is.EqualTo((decodes, validations, compilations)), "a hit decodes, validates and compiles nothing");
        Assert.That(diskHit.Definition.HasCode, Is.False, "the definition was rebuilt from the entry's metadata");
    }

    [Test]
    public void FromBytes_Miss_DecodesAndValidatesOnce()
    {
        var (decodes, validations, _) = Counters();
        Module.FromBytes(CachingEngine(), UniqueWasm());
        var (afterDecodes, afterValidations, _) = Counters();
        Assert.That(afterDecodes - decodes, Is.EqualTo(1));
        Assert.That(afterValidations - validations, Is.EqualTo(1));
    }

    [Test]
    public void FromBytes_HitAndMiss_SameModuleAndBehaviour()
    {
        var wasm = UniqueWasm();
        var uncached = Module.FromBytes(new Engine(), wasm);
        var miss = Module.FromBytes(CachingEngine(), wasm);
        ModuleCache.Forget(ModuleCache.Key(CachingEngine().Config, wasm));
        var hit = Module.FromBytes(CachingEngine(), wasm);
        Assert.That(hit.IsFromCache, Is.True);

        Assert.That(hit.Name, Is.EqualTo("rich"));
        Assert.That(hit.Imports, Is.EqualTo(uncached.Imports));
        Assert.That(hit.Exports, Is.EqualTo(uncached.Exports));
        Assert.That(hit.Sha256.ToArray(), Is.EqualTo(SHA256.HashData(wasm)));
        Assert.That(Describe(hit.Definition), Is.EqualTo(Describe(uncached.Definition)), "the rebuilt definition equals the decoded one");
        Assert.That(Observe(hit), Is.EqualTo(Observe(uncached)));
        Assert.That(Observe(miss), Is.EqualTo(Observe(uncached)));
        Assert.That(ModuleIdentity.Of(hit), Is.EqualTo(ModuleIdentity.Of(miss)), "snapshot identity");
        Assert.That(ModuleIdentity.Same(hit, miss), Is.True);
    }

    [Test]
    public void Restore_SnapshotOfMissIntoHit_SameState()
    {
        // Snapshots need the module's own memory and tables (no imported ones).
        const string wat = """
            (module
              (memory 1) (data $p "data!")
              (global $n (export "n") (mut i32) (i32.const 3))
              (func (export "init") (param i32) (memory.init $p (local.get 0) (i32.const 0) (i32.const 5)) (global.set $n (i32.const 9)))
              (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0))))
            """;
        var name = System.Text.Encoding.ASCII.GetBytes("s" + Guid.NewGuid().ToString("N"));
        byte[] wasm = [.. WatCompiler.Compile(wat), 0x00, (byte)(name.Length + 1), (byte)name.Length, .. name];
        var miss = Module.FromBytes(CachingEngine(), wasm);
        ModuleCache.Forget(ModuleCache.Key(CachingEngine().Config, wasm));
        var hit = Module.FromBytes(CachingEngine(), wasm);
        Assert.That(hit.IsFromCache, Is.True);

        using var store = new Store(miss.Engine);
        var source = new Linker(miss.Engine).Instantiate(store, miss);
        source.GetFunction("init")!.Invoke(Value.FromI32(100));
        using var snapshot = InstanceSnapshot.Capture(source);
        using var targetStore = new Store(hit.Engine);
        var target = new Linker(hit.Engine).Instantiate(targetStore, hit);
        snapshot.Restore(target);
        Assert.That(target.GetFunction("byte")!.Invoke(Value.FromI32(104))[0].I32, Is.EqualTo('!'));
        Assert.That(target.GetGlobal("n")!.Value.I32, Is.EqualTo(9));
    }

    [TestCase("version-old")]
    [TestCase("version-new")]
    [TestCase("truncated")]
    [TestCase("trailing")]
    [TestCase("huge-count")]
    [TestCase("type-index")]
    [TestCase("data-range")]
    [TestCase("wasm-length")]
    [TestCase("empty")]
    public void FromBytes_DamagedMetadataWithValidHash_IsRebuilt(string damage)
    {
        // The payload hash is recomputed after the damage, so only the metadata reader can notice it.
        var wasm = UniqueWasm();
        var engine = CachingEngine();
        Module.FromBytes(engine, wasm);
        var key = ModuleCache.Key(engine.Config, wasm);
        var path = ModuleCache.PathOf(_directory, key);
        var metadata = ReadMetadata(File.ReadAllBytes(path));
        byte[] damaged = damage switch
        {
            // The first byte is the format version (a one-byte LEB128).
            "version-old" => [(byte)(ModuleMetadata.FormatVersion - 1), .. metadata[1..]],
            "version-new" => [(byte)(ModuleMetadata.FormatVersion + 1), .. metadata[1..]],
            "truncated" => metadata[..(metadata.Length / 2)],
            "trailing" => [.. metadata, 0],
            "huge-count" => Patch(metadata, OffsetAfterWasmLength(metadata), [0xFF, 0xFF, 0xFF, 0xFF, 0x07]),
            "type-index" => ReplaceFunctionTypeIndex(wasm, metadata),
            "data-range" => ReplaceDataLength(wasm, metadata),
            "wasm-length" => Patch(metadata, 1, Leb(wasm.Length + 1)),
            _ => [],
        };
        Assert.That(damaged, Is.Not.EqualTo(metadata));
        File.WriteAllBytes(path, WithMetadata(File.ReadAllBytes(path), damaged));
        Assert.That(ModuleCache.Check(File.ReadAllBytes(path), key), Is.Null, "the entry itself still checks out");
        ModuleCache.Forget(key);

        var (decodes, _, _) = Counters();
        var rebuilt = Module.FromBytes(CachingEngine(), wasm);
        Assert.That(rebuilt.IsFromCache, Is.False, "damaged metadata is never trusted");
        Assert.That(Counters().Decodes, Is.EqualTo(decodes + 1));
        Assert.That(Observe(rebuilt), Is.EqualTo(Observe(Module.FromBytes(new Engine(), wasm))));
        Assert.That(ReadMetadata(File.ReadAllBytes(path)), Is.EqualTo(metadata), "the entry was rewritten");
        ModuleCache.Forget(key);
        Assert.That(Module.FromBytes(CachingEngine(), wasm).IsFromCache, Is.True);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void FromBytes_DamagedNativeImage_IsRebuilt(bool truncate)
    {
        // A native image is verified through a mapping, not read: damage is still found before it is loaded.
        var crossgen2 = GenVm.Host.Verbs.Crossgen2Locator.Find();
        if (crossgen2 is null)
        {
            Assert.Ignore("crossgen2 is not in the NuGet cache (restore GenVm.Host: it is a PackageDownload)");
        }

        var wasm = UniqueWasm();
        var engine = CachingEngine();
        Assert.That(Module.Precompile(engine, wasm, crossgen2), Is.True);
        var key = ModuleCache.Key(engine.Config, wasm);
        var image = ModuleCache.ImagePathOf(_directory, key, native: true);
        var bytes = File.ReadAllBytes(image);
        if (truncate)
        {
            bytes = bytes[..^1];
        }
        else
        {
            bytes[bytes.Length / 2] ^= 0x20;
        }

        File.WriteAllBytes(image, bytes);
        ModuleCache.Forget(key);
        var rebuilt = Module.FromBytes(CachingEngine(), wasm);
        Assert.That(rebuilt.IsFromCache, Is.False, "a damaged native image is never loaded");
        Assert.That(Observe(rebuilt), Is.EqualTo(Observe(Module.FromBytes(new Engine(), wasm))));
    }

    [Test]
    public void FromBytes_MetadataBitFlip_IsRebuilt()
    {
        // Without fixing the hash: the entry's payload hash rejects it before the metadata is read.
        var wasm = UniqueWasm();
        var engine = CachingEngine();
        Module.FromBytes(engine, wasm);
        var key = ModuleCache.Key(engine.Config, wasm);
        var path = ModuleCache.PathOf(_directory, key);
        var entry = File.ReadAllBytes(path);
        entry[HeaderSize + 4 + 3] ^= 0x04;
        File.WriteAllBytes(path, entry);
        ModuleCache.Forget(key);
        Assert.That(Module.FromBytes(CachingEngine(), wasm).IsFromCache, Is.False);
    }

    private const int HeaderSize = 8 + 4 + 32 + 32 + 8;

    private static (int Decodes, int Validations, int Compilations) Counters() =>
        (ModuleDecoder.DecodeCount, ModuleValidator.ValidationCount, ModuleCompiler.CompilationCount);

    private static byte[] ReadMetadata(byte[] entry)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(HeaderSize));
        return entry.AsSpan(HeaderSize + 4, length).ToArray();
    }

    // The entry with its metadata replaced, payload length and hash recomputed.
    private static byte[] WithMetadata(byte[] entry, byte[] metadata)
    {
        var oldLength = BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(HeaderSize));
        var rest = entry.AsSpan(HeaderSize + 4 + oldLength);
        var payload = new byte[4 + metadata.Length + rest.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, metadata.Length);
        metadata.CopyTo(payload, 4);
        rest.CopyTo(payload.AsSpan(4 + metadata.Length));
        var result = new byte[HeaderSize + payload.Length];
        entry.AsSpan(0, 44).CopyTo(result);
        SHA256.HashData(payload, result.AsSpan(44, 32));
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(76), payload.Length);
        payload.CopyTo(result.AsSpan(HeaderSize));
        return result;
    }

    private static byte[] Patch(byte[] metadata, int offset, byte[] replacementOfOneLeb)
    {
        // Replaces the LEB128 at offset.
        var end = offset;
        while ((metadata[end] & 0x80) != 0)
        {
            end++;
        }

        return [.. metadata[..offset], .. replacementOfOneLeb, .. metadata[(end + 1)..]];
    }

    private static int OffsetAfterWasmLength(byte[] metadata)
    {
        var offset = 1;
        while ((metadata[offset] & 0x80) != 0)
        {
            offset++;
        }

        return offset + 1; // the type count
    }

    private static byte[] Leb(int value)
    {
        var writer = new MetadataWriter();
        writer.WriteCount(value);
        return writer.Encode();
    }

    // Metadata whose first defined function has an out-of-range type index.
    private static byte[] ReplaceFunctionTypeIndex(byte[] wasm, byte[] metadata)
    {
        var definition = ModuleDecoder.Decode(wasm, WasmFeatures.Default);
        definition.FunctionTypeIndices[0] = (uint)definition.Types.Count;
        return Encode(definition);
    }

    // Metadata whose data segment runs past the end of the binary.
    private static byte[] ReplaceDataLength(byte[] wasm, byte[] metadata)
    {
        var definition = ModuleDecoder.Decode(wasm, WasmFeatures.Default);
        var segment = definition.Datas[1];
        definition.Datas[1] = segment with { DataLength = wasm.Length - segment.DataOffset + 1 };
        return Encode(definition);
    }

    private static byte[] Encode(ModuleDefinition definition)
    {
        var writer = new MetadataWriter();
        ModuleMetadata.Write(definition, writer);
        return writer.Encode();
    }

    private static string Describe(ModuleDefinition definition)
    {
        static string Expr(ConstExpr? e) => e is null ? "-" : e.Offset.ToString(CultureInfo.InvariantCulture) + ":" + string.Join(" ", e.Instructions);
        var lines = new List<string>
        {
            "types " + string.Join(";", definition.Types.Select(t => string.Join(",", t.Parameters) + "->" + string.Join(",", t.Results))),
            "imports " + string.Join(";", definition.Imports.Select(i => $"{i.ModuleName}.{i.Name}:{i.Kind}:{i.FunctionTypeIndex}:{i.Type}")),
            $"counts {definition.ImportedFunctionCount} {definition.ImportedTableCount} {definition.ImportedMemoryCount} {definition.ImportedGlobalCount}",
            "functions " + string.Join(",", definition.FunctionTypeIndices),
            "tables " + string.Join(";", definition.Tables),
            "memories " + string.Join(";", definition.Memories),
            "globals " + string.Join(";", definition.Globals.Select(g => g.Type + "=" + Expr(g.Init))),
            "exports " + string.Join(";", definition.Exports),
            "start " + definition.StartFunction,
            "elements " + string.Join(";", definition.Elements.Select(e => $"{e.Mode} {e.Flags} {e.TableIndex} {e.ElementKind} {Expr(e.Offset)} [{string.Join("|", e.Items.Select(Expr))}]")),
            "datacount " + definition.DataCount,
            "datas " + string.Join(";", definition.Datas.Select(d => $"{d.Mode} {d.MemoryIndex} {Expr(d.Offset)} {d.DataOffset} {d.DataLength}")),
            "custom " + string.Join(";", definition.CustomSections),
            "names " + definition.Names.ModuleName + " " + string.Join(";", definition.Names.FunctionNames.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value)),
        };
        return string.Join("\n", lines);
    }

    private static Instance Instantiate(Store store, Module module, List<int> logged)
    {
        var linker = new Linker(module.Engine);
        linker.DefineFunction("env", "log", new FuncType(new[] { ValueKind.I32 }, Array.Empty<ValueKind>()), (_, args, _) => logged.Add(args[0].I32));
        linker.Define("env", "base", Global.Create(store, new GlobalType(ValueKind.I32, false), Value.FromI32(32)));
        linker.Define("env", "mem", Memory.Create(store, new MemoryType(new Limits(1, 4))));
        linker.Define("env", "tab", Table.Create(store, new TableType(ValueKind.FuncRef, new Limits(2, null)), Value.Default(ValueKind.FuncRef)));
        return linker.Instantiate(store, module);
    }

    private static string Observe(Module module)
    {
        using var store = new Store(module.Engine);
        var logged = new List<int>();
        var instance = Instantiate(store, module, logged);
        var log = new List<string> { "log " + string.Join(",", logged), "seen " + instance.GetGlobal("seen")!.Value.I32 };
        var dispatch = instance.GetFunction("dispatch")!;
        log.Add("dispatch " + dispatch.Invoke(Value.FromI32(1), Value.FromI32(7))[0].I32 + " " + dispatch.Invoke(Value.FromI32(2), Value.FromI32(7))[0].I32);
        log.Add("wide " + instance.GetFunction("wide")!.Invoke()[0].I64);
        var readByte = instance.GetFunction("byte")!;
        log.Add("active " + string.Concat(Enumerable.Range(32, 4).Select(i => (char)readByte.Invoke(Value.FromI32(i))[0].I32)));
        instance.GetFunction("init_passive")!.Invoke(Value.FromI32(100));
        log.Add("passive " + string.Concat(Enumerable.Range(100, 5).Select(i => (char)readByte.Invoke(Value.FromI32(i))[0].I32)));
        log.Add("after init " + dispatch.Invoke(Value.FromI32(2), Value.FromI32(5))[0].I32);
        foreach (var slot in new[] { 0, 3 })
        {
            try
            {
                dispatch.Invoke(Value.FromI32(slot), Value.FromI32(1));
                log.Add("no trap");
            }
            catch (WasmTrapException trap)
            {
                log.Add(trap.Code.ToString());
            }
        }

        try
        {
            instance.GetFunction("trap")!.Invoke();
            log.Add("no trap");
        }
        catch (WasmTrapException trap)
        {
            log.Add(trap.Code + " " + string.Join(" < ", trap.Frames.Select(f => $"{f.ModuleName}:{f.FunctionIndex}:{f.FunctionName}:{f.CodeOffset}")));
        }

        return string.Join("\n", log);
    }

    private static byte[] UniqueWasm()
    {
        var name = System.Text.Encoding.ASCII.GetBytes("t" + Guid.NewGuid().ToString("N"));
        return [.. WatCompiler.Compile(Wat), 0x00, (byte)(name.Length + 1), (byte)name.Length, .. name];
    }

    private Engine CachingEngine() => new(new EngineConfig().WithCacheDirectory(_directory));
}
