using System.Security.Cryptography;
using GenVm.Wasm;
using GenVm.Wasm.Snapshots;

namespace GenVm.Tests.Wasm.Snapshots;

/// <summary>
/// A module for the snapshot file tests: <c>init</c> sets every kind of persisted state (memory pages far apart so
/// the file holds several page runs, globals of each kind, a table holding own and imported functions, dropped
/// segments); <c>step</c> reads all of it and changes it.
/// </summary>
internal static class SnapshotFixture
{
    public const string Wat = """
        (module
          (import "host" "five" (func $five (result i32)))
          (type $r (func (result i32)))
          (memory (export "mem") 2 64)
          (table $tab 4 16 funcref)
          (global $counter (mut i32) (i32.const 0))
          (global $wide (mut i64) (i64.const 1))
          (global $real (mut f64) (f64.const 0.5))
          (global $fref (mut funcref) (ref.null func))
          (elem (i32.const 0) func $a)
          (elem $later func $b $five)
          (elem $dropme func $a)
          (data $text "snapshot")
          (data $dropped "gone")
          (func $a (result i32) (i32.const 11))
          (func $b (result i32) (i32.const 22))
          (func (export "init")
            (drop (memory.grow (i32.const 30)))
            (i64.store (i32.const 8) (i64.const 0x0102030405060708))
            (i32.store (i32.const 0x30000) (i32.const -1))
            (i32.store (i32.const 0x1ffffc) (i32.const 0x7eadbeef))
            (memory.init $text (i32.const 0x100000) (i32.const 0) (i32.const 8))
            (data.drop $dropped)
            (elem.drop $dropme)
            (table.init $tab $later (i32.const 1) (i32.const 0) (i32.const 2))
            (drop (table.grow $tab (ref.func $a) (i32.const 2)))
            (global.set $fref (ref.func $b))
            (global.set $counter (i32.const 3))
            (global.set $wide (i64.const 0x123456789abcdef))
            (global.set $real (f64.const 2.25)))
          (func (export "step") (result i64)
            (local $x i32)
            (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
            (table.set $tab (i32.const 3) (global.get $fref))
            (local.set $x (i32.add
              (i32.add (call_indirect (type $r) (i32.const 0)) (call_indirect (type $r) (i32.const 1)))
              (i32.add (call_indirect (type $r) (i32.const 2)) (call_indirect (type $r) (i32.const 3)))))
            (local.set $x (i32.add (local.get $x) (call_indirect (type $r) (i32.const 5))))
            (i32.store (i32.add (i32.const 0x30010) (i32.shl (global.get $counter) (i32.const 2))) (local.get $x))
            (global.set $wide (i64.add (i64.mul (global.get $wide) (i64.const 6364136223846793005)) (i64.extend_i32_u (local.get $x))))
            (global.set $real (f64.mul (global.get $real) (f64.const 1.5)))
            (memory.init $text (i32.const 300) (i32.const 0) (i32.const 8))
            (i64.add (i64.add (global.get $wide) (i64.load (i32.const 8)))
              (i64.add (i64.load (i32.const 0x100000)) (i64.reinterpret_f64 (global.get $real)))))
          (func (export "init_dropped_data") (memory.init $dropped (i32.const 0) (i32.const 0) (i32.const 1)))
          (func (export "init_dropped_elem") (table.init $tab $dropme (i32.const 0) (i32.const 0) (i32.const 1))))
        """;

    /// <summary>Memory size after <c>init</c>.</summary>
    public const long MemoryBytes = 32 * Memory.PageSize;

    public static Module Load(Engine engine) => WatCompiler.Load(engine, Wat);

    public static Linker Linked(Engine engine)
    {
        var linker = new Linker(engine);
        linker.DefineFunction("host", "five", new FuncType(Array.Empty<ValueKind>(), [ValueKind.I32]), (_, _, results) => results[0] = Value.FromI32(5));
        return linker;
    }

    public static Value Call(Instance instance, string name, params Value[] args)
    {
        var results = instance.GetFunction(name)!.Invoke(args);
        return results.Length > 0 ? results[0] : default;
    }

    /// <summary>An instance of <paramref name="module"/> after <c>init</c>, in <paramref name="store"/>.</summary>
    public static Instance Started(Module module, Store store)
    {
        var instance = Linked(module.Engine).Instantiate(store, module);
        Call(instance, "init");
        return instance;
    }

    /// <summary>A snapshot of a started instance (its store is disposed: the snapshot does not need it).</summary>
    public static InstanceSnapshot Capture(Module module)
    {
        using var store = new Store(module.Engine);
        return InstanceSnapshot.Capture(Started(module, store));
    }

    /// <summary>The results of three steps and the final memory hash of a started instance (the reference run).</summary>
    public static (long[] Steps, string Memory) Reference(Module module)
    {
        using var store = new Store(module.Engine);
        return Steps(Started(module, store));
    }

    /// <summary>Three steps, then the memory hash.</summary>
    public static (long[] Steps, string Memory) Steps(Instance instance)
    {
        var steps = Enumerable.Range(0, 3).Select(_ => Call(instance, "step").I64).ToArray();
        var memory = instance.GetMemory("mem")!;
        return (steps, Convert.ToHexString(SHA256.HashData(memory.GetSpan(0, (int)memory.ByteLength))));
    }
}
