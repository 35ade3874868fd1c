using GenVm.Tests.Wasm.Spec;
using GenVm.Wasm;
using GenVm.Wasm.Compilation;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>The on-disk compile cache: miss then hit, corrupted and foreign entries, identical behaviour.</summary>
[TestFixture]
public sealed class ModuleCacheTests
{
    // Exercises what the cached assembly must carry: call_indirect signature checks (ids resolved per process),
    // an exported global cell, a direct global, a table with an element segment, memory with a data segment, a loop.
    private const string Wat = """
        (module
          (type $ii (func (param i32) (result i32)))
          (type $v (func))
          (memory 1) (data (i32.const 16) "cache")
          (global $counter (export "counter") (mut i32) (i32.const 7))
          (global $hidden (mut i64) (i64.const 40))
          (table 3 funcref) (elem (i32.const 0) $double $square $nop)
          (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
          (func $square (type $ii) (i32.mul (local.get 0) (local.get 0)))
          (func $nop (type $v))
          (func (export "dispatch") (param i32 i32) (result i32)
            (call_indirect (type $ii) (local.get 1) (local.get 0)))
          (func (export "sum") (param i32) (result i64) (local i64)
            (block (loop
              (br_if 1 (i32.eqz (local.get 0)))
              (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br 0)))
            (global.set $hidden (i64.add (global.get $hidden) (local.get 1)))
            (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
            (global.get $hidden))
          (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0))))
        """;

    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "genvm-cache-tests-" + Guid.NewGuid().ToString("N"));
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    [NonParallelizable]
    public void FromBytes_MissThenHit_SecondLoadSkipsCompilation()
    {
        var engine = CachingEngine();
        var wasm = UniqueWasm();

        var miss = Module.FromBytes(engine, wasm);
        Assert.That(miss.IsFromCache, Is.False);
        Assert.That(File.Exists(EntryPath(engine, wasm)), Is.True);

        var compilations = ModuleCompiler.CompilationCount;
        var hit = Module.FromBytes(CachingEngine(), wasm);
        Assert.That(hit.IsFromCache, Is.True);
        ModuleCache.Forget(ModuleCache.Key(engine.Config, wasm)); // as in a fresh process: the image is read from disk
        var diskHit = Module.FromBytes(CachingEngine(), wasm);
        Assert.That(diskHit.IsFromCache, Is.True);
        Assert.That(ModuleCompiler.CompilationCount, Is.EqualTo(compilations), "a hit emits no IL");
        Assert.That(Directory.GetFiles(_directory).Where(f => f.EndsWith(".tmp", StringComparison.Ordinal)), Is.Empty, "no temporary file left");
    }

    [Test]
    public void FromBytes_HitAndMiss_BehaveIdentically()
    {
        var wasm = UniqueWasm();
        var uncached = Module.FromBytes(new Engine(), wasm);
        var miss = Module.FromBytes(CachingEngine(), wasm);
        var hit = Module.FromBytes(CachingEngine(), wasm);
        Assert.That(hit.IsFromCache, Is.True);

        var expected = Observe(uncached);
        Assert.That(Observe(miss), Is.EqualTo(expected));
        Assert.That(Observe(hit), Is.EqualTo(expected));
        Assert.That(hit.Exports.Select(e => e.Name), Is.EqualTo(uncached.Exports.Select(e => e.Name)));
    }

    [TestCase("truncated")]
    [TestCase("payload-bit")]
    [TestCase("header-bit")]
    [TestCase("empty")]
    [TestCase("garbage")]
    public void FromBytes_CorruptedEntry_IsRebuilt(string damage)
    {
        var wasm = UniqueWasm();
        var engine = CachingEngine();
        Module.FromBytes(engine, wasm);
        var path = EntryPath(engine, wasm);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated":
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case "payload-bit":
                bytes[bytes.Length - 100] ^= 0x10;
                break;
            case "header-bit":
                bytes[2] ^= 0x01;
                break;
            case "empty":
                bytes = [];
                break;
            default:
                bytes = Enumerable.Range(0, 4096).Select(i => (byte)(i * 31)).ToArray();
                break;
        }

        File.WriteAllBytes(path, bytes);
        var rebuilt = Module.FromBytes(CachingEngine(), wasm);
        Assert.That(rebuilt.IsFromCache, Is.False, "a damaged entry is never used");
        Assert.That(Observe(rebuilt), Is.EqualTo(Observe(Module.FromBytes(new Engine(), wasm))));
        Assert.That(ModuleCache.Check(File.ReadAllBytes(path), ModuleCache.Key(engine.Config, wasm)), Is.Null, "the entry was rewritten");
        Assert.That(Module.FromBytes(CachingEngine(), wasm).IsFromCache, Is.True);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void FromBytes_DamagedOrMissingImage_IsRebuilt(bool delete)
    {
        var wasm = UniqueWasm();
        var engine = CachingEngine();
        Module.FromBytes(engine, wasm);
        var image = ModuleCache.ImagePathOf(engine.Config.CacheDirectory!, ModuleCache.Key(engine.Config, wasm), native: false);
        if (delete)
        {
            File.Delete(image);
        }
        else
        {
            var bytes = File.ReadAllBytes(image);
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(image, bytes);
        }

        ModuleCache.Forget(ModuleCache.Key(engine.Config, wasm)); // as in a fresh process: nothing of it loaded yet
        var rebuilt = Module.FromBytes(CachingEngine(), wasm);
        Assert.That(rebuilt.IsFromCache, Is.False);
        Assert.That(Observe(rebuilt), Is.EqualTo(Observe(Module.FromBytes(new Engine(), wasm))));
        Assert.That(Module.FromBytes(CachingEngine(), wasm).IsFromCache, Is.True);
    }

    [Test]
    public void FromBytes_EntryOfOtherEngineConfiguration_IsRebuilt()
    {
        // An entry written for another engine build or configuration, placed under this key's file name.
        var wasm = UniqueWasm();
        var other = new Engine(new EngineConfig().WithCacheDirectory(_directory).WithMaxCallDepth(77));
        Module.FromBytes(other, wasm);
        var engine = CachingEngine();
        File.Move(EntryPath(other, wasm), EntryPath(engine, wasm));

        var module = Module.FromBytes(engine, wasm);
        Assert.That(module.IsFromCache, Is.False);
        Assert.That(Module.FromBytes(CachingEngine(), wasm).IsFromCache, Is.True);
    }

    [Test]
    public void Trim_OverLimit_EvictsLeastRecentlyUsedButKeepsCurrent()
    {
        var engine = CachingEngine();
        var modules = Enumerable.Range(0, 3).Select(_ => UniqueWasm()).ToArray();
        var keys = modules.Select(m => ModuleCache.Key(engine.Config, m)).ToArray();
        for (var i = 0; i < modules.Length; i++)
        {
            Module.FromBytes(engine, modules[i]);
            File.SetLastWriteTimeUtc(ModuleCache.PathOf(_directory, keys[i]), DateTime.UtcNow.AddHours(i - 10));
        }

        // Limit 1 byte: everything goes except the entry being kept, oldest first.
        ModuleCache.Trim(_directory, 1, keys[0]);
        Assert.That(File.Exists(ModuleCache.PathOf(_directory, keys[0])), Is.True);
        Assert.That(File.Exists(ModuleCache.ImagePathOf(_directory, keys[0], native: false)), Is.True);
        Assert.That(File.Exists(ModuleCache.PathOf(_directory, keys[1])), Is.False);
        Assert.That(File.Exists(ModuleCache.ImagePathOf(_directory, keys[1], native: false)), Is.False);
        Assert.That(File.Exists(ModuleCache.PathOf(_directory, keys[2])), Is.False);

        // A generous limit deletes nothing.
        Module.FromBytes(engine, modules[1]);
        ModuleCache.Trim(_directory, long.MaxValue, keys[0]);
        Assert.That(Directory.GetFiles(_directory, "*" + ModuleCache.Extension), Has.Length.EqualTo(2));
    }

    [Test]
    public void Key_DependsOnBytesAndCodegenSettings()
    {
        var wasm = UniqueWasm();
        var changed = (byte[])wasm.Clone();
        changed[^1] ^= 1;
        var baseline = ModuleCache.Key(new EngineConfig(), wasm);
        Assert.That(ModuleCache.Key(new EngineConfig().WithCacheDirectory(_directory), wasm), Is.EqualTo(baseline), "the directory is not keyed");
        Assert.That(ModuleCache.Key(new EngineConfig(), changed), Is.Not.EqualTo(baseline));
        Assert.That(ModuleCache.Key(new EngineConfig().WithMaxCallDepth(10), wasm), Is.Not.EqualTo(baseline));
        Assert.That(ModuleCache.Key(new EngineConfig().WithTrapOnFloatInstructions(true), wasm), Is.Not.EqualTo(baseline));
        Assert.That(ModuleCache.Key(new EngineConfig().WithValueStackBudget(1000), wasm), Is.Not.EqualTo(baseline));
        // The mode (issue 4 item 6): each float policy and fuel metering compile differently, so each has its own key.
        var softFloat = ModuleCache.Key(new EngineConfig().WithFloatPolicy(FloatPolicy.SoftFloat), wasm);
        Assert.That(softFloat, Is.Not.EqualTo(baseline));
        Assert.That(softFloat, Is.Not.EqualTo(ModuleCache.Key(new EngineConfig().WithFloatPolicy(FloatPolicy.Trap), wasm)));
        Assert.That(ModuleCache.Key(new EngineConfig().WithFuel(true), wasm), Is.Not.EqualTo(baseline));
    }

    [Test]
    public void FromBytes_UnwritableDirectory_StillLoads()
    {
        File.WriteAllText(_directory, "a file where the directory should be");
        try
        {
            var module = Module.FromBytes(new Engine(new EngineConfig().WithCacheDirectory(_directory)), UniqueWasm());
            Assert.That(module.IsFromCache, Is.False);
            Assert.That(Observe(module), Is.Not.Empty);
        }
        finally
        {
            File.Delete(_directory);
        }
    }

    [Test]
    public void FromBytes_InvalidModule_IsRejectedAndNotCached()
    {
        // Validation still runs on a miss; nothing is written for a module that fails it.
        // (func (result i32) (i64.const 1)): well-formed, but the body's type does not match the result.
        byte[] invalid =
        [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
            0x03, 0x02, 0x01, 0x00,
            0x0a, 0x06, 0x01, 0x04, 0x00, 0x42, 0x01, 0x0b,
        ];
        Assert.That(() => Module.FromBytes(CachingEngine(), invalid), Throws.InstanceOf<WasmException>());
        Assert.That(Directory.Exists(_directory) ? Directory.GetFiles(_directory) : [], Is.Empty);
    }

    [TestCase("i32.wast")]
    [TestCase("call_indirect.wast")]
    [TestCase("br_table.wast")]
    [TestCase("global.wast")]
    [TestCase("linking.wast")]
    [TestCase("memory_grow.wast")]
    [TestCase("tail-call/return_call_indirect.wast")]
    public void SpecScript_ThroughCache_PassesOnMissAndHit(string file)
    {
        foreach (var pass in new[] { "miss", "hit" })
        {
            var result = SpecScriptRunner.RunFile(file, CachingEngine());
            Assert.That(result.Failures, Is.Empty, pass + ": " + result.Describe());
            Assert.That(result.Passed, Is.GreaterThan(0), pass);
        }

        Assert.That(Directory.GetFiles(_directory, "*" + ModuleCache.Extension), Is.Not.Empty);
    }

    private static string Observe(Module module)
    {
        using var store = new Store(module.Engine);
        var instance = new Linker(module.Engine).Instantiate(store, module);
        var dispatch = instance.GetFunction("dispatch")!;
        var sum = instance.GetFunction("sum")!;
        var log = new List<string>
        {
            dispatch.Invoke(Value.FromI32(0), Value.FromI32(21))[0].I32.ToString(System.Globalization.CultureInfo.InvariantCulture),
            dispatch.Invoke(Value.FromI32(1), Value.FromI32(12))[0].I32.ToString(System.Globalization.CultureInfo.InvariantCulture),
            sum.Invoke(Value.FromI32(1000))[0].I64.ToString(System.Globalization.CultureInfo.InvariantCulture),
            instance.GetGlobal("counter")!.Value.I32.ToString(System.Globalization.CultureInfo.InvariantCulture),
            instance.GetFunction("byte")!.Invoke(Value.FromI32(17))[0].I32.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var slot in new[] { 2, 3 })
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

        return string.Join(",", log);
    }

    // A custom section with a fresh name makes each test's module (and key) its own: cached assemblies stay loaded
    // for the process and are reused by key, so shared bytes would let one test see another's loaded image.
    private static byte[] UniqueWasm()
    {
        var name = System.Text.Encoding.ASCII.GetBytes("t" + Guid.NewGuid().ToString("N"));
        return [.. WatCompiler.Compile(Wat), 0x00, (byte)(name.Length + 1), (byte)name.Length, .. name];
    }

    private static string EntryPath(Engine engine, byte[] wasm) =>
        ModuleCache.PathOf(engine.Config.CacheDirectory!, ModuleCache.Key(engine.Config, wasm));

    private Engine CachingEngine() => new(new EngineConfig().WithCacheDirectory(_directory));
}
