using System.Security.Cryptography;
using GenVm.Wasm;
using GenVm.Wasm.Snapshots;

namespace GenVm.Tests.Wasm.Snapshots;

/// <summary>
/// <see cref="InstanceSnapshot"/>: a restored instance continues bit for bit like the captured one (memory, globals
/// of both kinds, tables holding own and imported functions, dropped segments), in copy-on-write and copy mode, into
/// fresh and used instances; growth after a restore; pool accounting; refusal of foreign modules and configurations.
/// </summary>
[TestFixture]
public sealed class InstanceSnapshotTests
{
    private const long Page = Memory.PageSize;

    // init() changes every kind of instance state; step() reads all of it and changes it again.
    private const string Stateful = """
        (module
          (import "host" "five" (func $five (result i32)))
          (type $r (func (result i32)))
          (memory (export "mem") 1 64)
          (table $tab 4 16 funcref)
          (global $counter (mut i32) (i32.const 0))
          (global $wide (mut i64) (i64.const 1))
          (global $real (mut f64) (f64.const 0.5))
          (global $fref (mut funcref) (ref.null func))
          (global $exported (export "exported") (mut i32) (i32.const 7))
          (elem (i32.const 0) func $a)
          (elem $later func $b $five)
          (elem $dropme func $a)
          (data $text "snapshot")
          (data $dropped "gone")
          (func $a (result i32) (i32.const 11))
          (func $b (result i32) (i32.const 22))
          (func (export "init")
            (local $i i32)
            (drop (memory.grow (i32.const 3)))
            (loop $fill
              (i32.store (i32.mul (local.get $i) (i32.const 4093))
                (i32.mul (i32.add (local.get $i) (i32.const 1)) (i32.const -1640531535)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $fill (i32.lt_u (local.get $i) (i32.const 64))))
            (memory.init $text (i32.const 100) (i32.const 0) (i32.const 8))
            (data.drop $dropped)
            (elem.drop $dropme)
            (table.init $tab $later (i32.const 1) (i32.const 0) (i32.const 2))
            (drop (table.grow $tab (ref.func $a) (i32.const 2)))
            (global.set $fref (ref.func $b))
            (global.set $counter (i32.const 3))
            (global.set $wide (i64.const 0x123456789abcdef))
            (global.set $real (f64.const 2.25))
            (global.set $exported (i32.const 9)))
          (func (export "step") (result i64)
            (local $x i32)
            (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
            (table.set $tab (i32.const 3) (global.get $fref))
            (local.set $x (i32.add
              (i32.add (call_indirect (type $r) (i32.const 0)) (call_indirect (type $r) (i32.const 1)))
              (i32.add (call_indirect (type $r) (i32.const 2)) (call_indirect (type $r) (i32.const 3)))))
            (local.set $x (i32.add (local.get $x) (call_indirect (type $r) (i32.const 5))))
            (i32.store (i32.add (i32.const 200) (i32.shl (global.get $counter) (i32.const 2))) (local.get $x))
            (global.set $wide (i64.add (i64.mul (global.get $wide) (i64.const 6364136223846793005)) (i64.extend_i32_u (local.get $x))))
            (global.set $real (f64.mul (global.get $real) (f64.const 1.5)))
            (global.set $exported (i32.add (global.get $exported) (global.get $counter)))
            (memory.init $text (i32.const 300) (i32.const 0) (i32.const 8))
            (i64.add (global.get $wide) (i64.load (i32.const 100))))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "tgrow") (param i32) (result i32) (table.grow $tab (ref.null func) (local.get 0)))
          (func (export "tsize") (result i32) (table.size $tab))
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "counter") (result i32) (global.get $counter))
          (func (export "real") (result f64) (global.get $real))
          (func (export "init_dropped_data") (memory.init $dropped (i32.const 0) (i32.const 0) (i32.const 1)))
          (func (export "init_dropped_elem") (table.init $tab $dropme (i32.const 0) (i32.const 0) (i32.const 1))))
        """;

    [TestCase(true)]
    [TestCase(false)]
    public void Restore_FreshInstance_ContinuesBitForBitLikeAFreshRun(bool copyOnWrite)
    {
        var engine = new Engine();
        var module = WatCompiler.Load(engine, Stateful);

        using var freshStore = new Store(engine);
        var fresh = Linked(engine).Instantiate(freshStore, module);
        Call(fresh, "init");
        var expected = Enumerable.Range(0, 3).Select(_ => Call(fresh, "step").I64).ToArray();

        using var sourceStore = new Store(engine);
        var source = Linked(engine).Instantiate(sourceStore, module);
        Call(source, "init");
        using var snapshot = InstanceSnapshot.Capture(source, copyOnWrite);
        Assert.That(snapshot.IsMapped, Is.EqualTo(copyOnWrite && OperatingSystem.IsLinux()));
        Assert.That(snapshot.MemoryBytes, Is.EqualTo(4 * Page));

        using var targetStore = new Store(engine);
        var target = snapshot.Instantiate(Linked(engine), targetStore);
        Assert.That(Hash(target), Is.EqualTo(Convert.ToHexString(SHA256.HashData(snapshot.ReadMemory(0)))));
        var actual = Enumerable.Range(0, 3).Select(_ => Call(target, "step").I64).ToArray();

        Assert.That(actual, Is.EqualTo(expected));
        AssertSameState(target, fresh);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Restore_UsedInstanceThatGrew_ReturnsToCapturedState(bool copyOnWrite)
    {
        var engine = new Engine();
        var module = WatCompiler.Load(engine, Stateful);
        using var store = new Store(engine);
        var instance = Linked(engine).Instantiate(store, module);
        Call(instance, "init");
        var memoryAtCapture = instance.GetMemory("mem")!.GetSpan(0, (int)(4 * Page)).ToArray();
        using var snapshot = InstanceSnapshot.Capture(instance, copyOnWrite);
        var expected = Call(instance, "step").I64;

        // Diverge: more steps, a grown memory with data in the new pages, a grown table.
        Call(instance, "step");
        Assert.That(Call(instance, "grow", Value.FromI32(5)).I32, Is.EqualTo(4));
        instance.GetMemory("mem")!.GetSpan((ulong)(8 * Page), 16).Fill(0xAB);
        Assert.That(Call(instance, "tgrow", Value.FromI32(3)).I32, Is.EqualTo(6));

        snapshot.Restore(instance);

        Assert.That(instance.GetMemory("mem")!.PageCount, Is.EqualTo(4));
        Assert.That(instance.GetMemory("mem")!.GetSpan(0, (int)(4 * Page)).ToArray(), Is.EqualTo(memoryAtCapture));
        Assert.That(Call(instance, "tsize").I32, Is.EqualTo(6));
        Assert.That(Call(instance, "counter").I32, Is.EqualTo(3));
        Assert.That(Call(instance, "step").I64, Is.EqualTo(expected));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Grow_AfterRestoreIntoLargerInstance_NewPagesAreZero(bool copyOnWrite)
    {
        var engine = new Engine();
        var module = WatCompiler.Load(engine, Stateful);
        using var store = new Store(engine);
        var instance = Linked(engine).Instantiate(store, module);
        Call(instance, "init");
        using var snapshot = InstanceSnapshot.Capture(instance, copyOnWrite);
        Call(instance, "grow", Value.FromI32(2));
        instance.GetMemory("mem")!.GetSpan((ulong)(4 * Page), (int)(2 * Page)).Fill(0x5A);

        snapshot.Restore(instance);

        Assert.Throws<WasmTrapException>(() => Call(instance, "load", Value.FromI32((int)(4 * Page))), "the pages past the captured size are gone");
        Assert.That(Call(instance, "grow", Value.FromI32(2)).I32, Is.EqualTo(4));
        var grown = instance.GetMemory("mem")!.GetSpan((ulong)(4 * Page), (int)(2 * Page)).ToArray();
        Assert.That(grown.All(b => b == 0), Is.True, "grown pages read as zero, not as the bytes written before the restore");
    }

    [Test]
    public void Restore_DroppedSegments_StayDropped()
    {
        var engine = new Engine();
        var module = WatCompiler.Load(engine, Stateful);
        using var store = new Store(engine);
        var source = Linked(engine).Instantiate(store, module);
        Call(source, "init");
        using var snapshot = InstanceSnapshot.Capture(source);

        using var targetStore = new Store(engine);
        var fresh = Linked(engine).Instantiate(targetStore, module);
        Assert.DoesNotThrow(() => Call(fresh, "init_dropped_data"), "not dropped before the restore");
        snapshot.Restore(fresh);

        Assert.That(Assert.Throws<WasmTrapException>(() => Call(fresh, "init_dropped_data"))!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(Assert.Throws<WasmTrapException>(() => Call(fresh, "init_dropped_elem"))!.Code, Is.EqualTo(TrapCode.TableOutOfBounds));
    }

    [Test]
    public void Restore_FreshAndUsedInstances_ChargePoolLikeTheInstantiationAndGrowsDid()
    {
        var engine = new Engine();
        var module = WatCompiler.Load(engine, Stateful);
        var pool = new ResourcePool(1000 * Page);
        using var source = new Store(engine, pool);
        var instance = Linked(engine).Instantiate(source, module);
        Call(instance, "init");
        var captured = source.Pool!.Charged;
        Assert.That(captured, Is.EqualTo((4 * Page) + (6 * PoolLimiter.TableEntryCost)));
        using var snapshot = InstanceSnapshot.Capture(instance);

        using (var target = new Store(engine, pool))
        {
            var restored = snapshot.Instantiate(Linked(engine), target);
            Assert.That(target.Pool!.Charged, Is.EqualTo(captured), "fresh instance: initial size plus the difference");

            Call(restored, "grow", Value.FromI32(10));
            Call(restored, "tgrow", Value.FromI32(4));
            Assert.That(target.Pool.Charged, Is.EqualTo(captured + (10 * Page) + (4 * PoolLimiter.TableEntryCost)));
            snapshot.Restore(restored);
            Assert.That(target.Pool.Charged, Is.EqualTo(captured), "used instance: the excess is given back");
        }

        Assert.That(pool.Available, Is.EqualTo(pool.Capacity - captured), "only the source store still holds units");
    }

    [Test]
    public void Restore_PoolTooSmall_ThrowsResourceExhausted()
    {
        var engine = new Engine();
        var module = WatCompiler.Load(engine, Stateful);
        using var source = new Store(engine);
        var instance = Linked(engine).Instantiate(source, module);
        Call(instance, "init");
        using var snapshot = InstanceSnapshot.Capture(instance);

        var pool = new ResourcePool((2 * Page) + (4 * PoolLimiter.TableEntryCost));
        using var target = new Store(engine, pool);
        var fresh = Linked(engine).Instantiate(target, module);
        var ex = Assert.Throws<ResourceExhaustedException>(() => snapshot.Restore(fresh))!;
        Assert.That(ex.What, Is.EqualTo("memory"));
        Assert.That(target.Pool!.Charged, Is.EqualTo(Page + (4 * PoolLimiter.TableEntryCost)), "the refused difference was not charged");
    }

    [Test]
    public void Restore_SameBytesOtherModuleObject_Accepted()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var instance = Linked(engine).Instantiate(store, WatCompiler.Load(engine, Stateful));
        Call(instance, "init");
        using var snapshot = InstanceSnapshot.Capture(instance);

        using var target = new Store(engine);
        var other = Linked(engine).Instantiate(target, Module.FromBytes(engine, WatCompiler.Compile(Stateful)));
        snapshot.Restore(other);
        Assert.That(Call(other, "counter").I32, Is.EqualTo(3));
    }

    [Test]
    public void Restore_OtherModule_ThrowsMismatch()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var instance = Linked(engine).Instantiate(store, WatCompiler.Load(engine, Stateful));
        using var snapshot = InstanceSnapshot.Capture(instance);

        var other = WatCompiler.Instantiate(store, "(module (memory 1) (func (export \"f\")))");
        Assert.Throws<SnapshotMismatchException>(() => snapshot.Restore(other));
    }

    [Test]
    public void Restore_SameBytesOtherEngineConfiguration_ThrowsMismatch()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var instance = Linked(engine).Instantiate(store, WatCompiler.Load(engine, Stateful));
        using var snapshot = InstanceSnapshot.Capture(instance);

        var fuelEngine = new Engine(new EngineConfig().WithFuel(true));
        using var target = new Store(fuelEngine);
        var other = Linked(fuelEngine).Instantiate(target, WatCompiler.Load(fuelEngine, Stateful));
        Assert.Throws<SnapshotMismatchException>(() => snapshot.Restore(other));
    }

    [Test]
    public void Capture_ImportedMemory_ThrowsMismatch()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        linker.Define("env", "mem", Memory.Create(store, new MemoryType(new Limits(1, null))));
        var instance = WatCompiler.Instantiate(store, "(module (import \"env\" \"mem\" (memory 1)))", linker);
        Assert.Throws<SnapshotMismatchException>(() => InstanceSnapshot.Capture(instance));
    }

    [Test]
    public void Capture_GlobalHoldingHostReference_ThrowsMismatch()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var instance = WatCompiler.Instantiate(store, """
            (module (global $g (mut externref) (ref.null extern))
              (func (export "set") (param externref) (global.set $g (local.get 0))))
            """);
        instance.GetFunction("set")!.Invoke(Value.FromExternRef(new object()));
        Assert.Throws<SnapshotMismatchException>(() => InstanceSnapshot.Capture(instance));
    }

    [Test]
    public void Capture_WhileRunning_ThrowsMismatch()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        Instance? self = null;
        Exception? inner = null;
        linker.DefineFunction("host", "five", new FuncType(Array.Empty<ValueKind>(), [ValueKind.I32]), (_, _, results) =>
        {
            inner = Assert.Catch(() => InstanceSnapshot.Capture(self!));
            results[0] = Value.FromI32(5);
        });
        self = linker.Instantiate(store, WatCompiler.Load(engine, Stateful));
        Call(self, "init");
        Call(self, "step");
        Assert.That(inner, Is.InstanceOf<SnapshotMismatchException>());
    }

    private static Linker Linked(Engine engine)
    {
        var linker = new Linker(engine);
        linker.DefineFunction("host", "five", new FuncType(Array.Empty<ValueKind>(), [ValueKind.I32]), (_, _, results) => results[0] = Value.FromI32(5));
        return linker;
    }

    private static Value Call(Instance instance, string name, params Value[] args)
    {
        var results = instance.GetFunction(name)!.Invoke(args);
        return results.Length > 0 ? results[0] : default;
    }

    private static string Hash(Instance instance)
    {
        var memory = instance.GetMemory("mem")!;
        return Convert.ToHexString(SHA256.HashData(memory.GetSpan(0, (int)memory.ByteLength)));
    }

    private static void AssertSameState(Instance actual, Instance expected)
    {
        Assert.That(actual.GetMemory("mem")!.PageCount, Is.EqualTo(expected.GetMemory("mem")!.PageCount));
        Assert.That(Hash(actual), Is.EqualTo(Hash(expected)));
        Assert.That(actual.GetGlobal("exported")!.Value, Is.EqualTo(expected.GetGlobal("exported")!.Value));
        Assert.That(BitConverter.DoubleToInt64Bits(Call(actual, "real").F64), Is.EqualTo(BitConverter.DoubleToInt64Bits(Call(expected, "real").F64)));
        Assert.That(Call(actual, "counter").I32, Is.EqualTo(Call(expected, "counter").I32));
        Assert.That(Call(actual, "tsize").I32, Is.EqualTo(Call(expected, "tsize").I32));
    }
}
