using System.Text;
using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Runtime;

/// <summary>Imports, exports, host functions, memory growth and the resource limiter.</summary>
[TestFixture]
public sealed class LinkingTests
{
    private Store _store = null!;

    [SetUp]
    public void SetUp() => _store = new Store(new Engine());

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void HostFunction_ReadsCallerMemory_SeesGuestBytes()
    {
        string? seen = null;
        var linker = new Linker(_store.Engine);
        linker.DefineFunction("env", "print", new FuncType(new[] { ValueKind.I32, ValueKind.I32 }, new[] { ValueKind.I32 }), (caller, args, results) =>
        {
            var memory = caller.DefaultMemory!;
            seen = Encoding.UTF8.GetString(memory.GetSpan((uint)args[0].I32, args[1].I32));
            results[0] = Value.FromI32(seen.Length * 10);
        });
        var instance = WatCompiler.Instantiate(_store, """
            (module (import "env" "print" (func $print (param i32 i32) (result i32)))
              (memory 1) (data (i32.const 8) "hello wasm")
              (func (export "run") (result i32) (call $print (i32.const 8) (i32.const 10))))
            """, linker);
        Assert.That(instance.GetFunction("run")!.Invoke()[0].I32, Is.EqualTo(100));
        Assert.That(seen, Is.EqualTo("hello wasm"));
    }

    [Test]
    public void Imports_MemoryGlobalFunctionOfAnotherInstance_AreShared()
    {
        var provider = WatCompiler.Instantiate(_store, """
            (module
              (memory (export "mem") 1 4)
              (global (export "counter") (mut i32) (i32.const 10))
              (func (export "get") (result i32) (global.get 0))
              (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))
            """);
        var linker = new Linker(_store.Engine);
        linker.DefineInstance("p", provider);
        var consumer = WatCompiler.Instantiate(_store, """
            (module
              (import "p" "mem" (memory 1))
              (import "p" "counter" (global $c (mut i32)))
              (import "p" "get" (func $get (result i32)))
              (func (export "bump") (result i32)
                (global.set $c (i32.add (global.get $c) (i32.const 5)))
                (i32.store8 (i32.const 3) (i32.const 42))
                (drop (memory.grow (i32.const 1)))
                (i32.store8 (i32.const 70000) (i32.const 7))
                (call $get)))
            """, linker);
        Assert.That(consumer.GetFunction("bump")!.Invoke()[0].I32, Is.EqualTo(15));
        Assert.That(provider.GetGlobal("counter")!.Value.I32, Is.EqualTo(15));
        var peek = provider.GetFunction("peek")!;
        Assert.That(peek.Invoke(Value.FromI32(3))[0].I32, Is.EqualTo(42));
        Assert.That(peek.Invoke(Value.FromI32(70000))[0].I32, Is.EqualTo(7));
        Assert.That(provider.GetMemory("mem")!.PageCount, Is.EqualTo(2u));
    }

    [Test]
    public void Instantiate_MissingAndMismatchedImports_ThrowLinkException()
    {
        var module = WatCompiler.Load(_store.Engine, """(module (import "env" "f" (func (param i32))))""");
        var linker = new Linker(_store.Engine);
        var missing = Assert.Throws<LinkException>(() => linker.Instantiate(_store, module))!;
        Assert.That(missing.Message, Does.StartWith("unknown import"));
        linker.DefineFunction("env", "f", new FuncType(new[] { ValueKind.I64 }, Array.Empty<ValueKind>()), (_, _, _) => { });
        var mismatch = Assert.Throws<LinkException>(() => linker.Instantiate(_store, module))!;
        Assert.That(mismatch.Message, Does.StartWith("incompatible import type"));
    }

    [Test]
    public void MemoryGrow_LimiterAndMaximum_ReturnMinusOne()
    {
        var limiter = new CappingLimiter(3 * Memory.PageSize);
        _store.Limiter = limiter;
        var instance = WatCompiler.Instantiate(_store, """
            (module (memory (export "mem") 1 5)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "size") (result i32) (memory.size))
              (func (export "poke") (param i32) (i32.store (local.get 0) (i32.const -1))))
            """);
        var grow = instance.GetFunction("grow")!;
        Assert.That(grow.Invoke(Value.FromI32(2))[0].I32, Is.EqualTo(1));
        Assert.That(grow.Invoke(Value.FromI32(1))[0].I32, Is.EqualTo(-1), "refused by the limiter");
        limiter.Cap = long.MaxValue;
        Assert.That(grow.Invoke(Value.FromI32(3))[0].I32, Is.EqualTo(-1), "beyond the type's maximum");
        Assert.That(grow.Invoke(Value.FromI32(0))[0].I32, Is.EqualTo(3));
        Assert.That(grow.Invoke(Value.FromI32(-1))[0].I32, Is.EqualTo(-1));
        Assert.That(instance.GetFunction("size")!.Invoke()[0].I32, Is.EqualTo(3));
        instance.GetFunction("poke")!.Invoke(Value.FromI32((3 * Memory.PageSize) - 4));
        Assert.That(instance.GetMemory("mem")!.GetSpan((3 * Memory.PageSize) - 4, 4).ToArray(), Is.All.EqualTo(0xFF));
        Assert.That(limiter.Calls, Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public void MemoryGrow_To4GiB_Succeeds()
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module (memory (export "mem") 0)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "last") (result i32) (i32.store8 (i32.const -1) (i32.const 9)) (i32.load8_u (i32.const -1))))
            """);
        Assert.That(instance.GetFunction("grow")!.Invoke(Value.FromI32(65536))[0].I32, Is.Zero);
        Assert.That(instance.GetMemory("mem")!.ByteLength, Is.EqualTo(4L << 30));
        Assert.That(instance.GetFunction("last")!.Invoke()[0].I32, Is.EqualTo(9));
        Assert.That(instance.GetFunction("grow")!.Invoke(Value.FromI32(1))[0].I32, Is.EqualTo(-1));
    }

    [Test]
    public void Tables_GrowSetGetFillSize_FollowTheSpec()
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module
              (table $t (export "t") 1 10 externref)
              (func (export "grow") (param externref i32) (result i32) (table.grow $t (local.get 0) (local.get 1)))
              (func (export "get") (param i32) (result externref) (table.get $t (local.get 0)))
              (func (export "set") (param i32 externref) (table.set $t (local.get 0) (local.get 1)))
              (func (export "fill") (param i32 externref i32) (table.fill $t (local.get 0) (local.get 1) (local.get 2)))
              (func (export "size") (result i32) (table.size $t))
              (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0)))))
            """);
        var marker = new object();
        Assert.That(instance.GetFunction("grow")!.Invoke(Value.FromExternRef(marker), Value.FromI32(3))[0].I32, Is.EqualTo(1));
        Assert.That(instance.GetFunction("size")!.Invoke()[0].I32, Is.EqualTo(4));
        Assert.That(instance.GetFunction("get")!.Invoke(Value.FromI32(2))[0].Reference, Is.SameAs(marker));
        Assert.That(instance.GetFunction("is_null")!.Invoke(Value.FromI32(0))[0].I32, Is.EqualTo(1));
        instance.GetFunction("fill")!.Invoke(Value.FromI32(0), Value.FromExternRef("x"), Value.FromI32(2));
        Assert.That(instance.GetTable("t")!.Get(1).Reference, Is.EqualTo("x"));
        Assert.That(instance.GetFunction("grow")!.Invoke(Value.FromExternRef(null), Value.FromI32(7))[0].I32, Is.EqualTo(-1));
        var trap = Assert.Throws<WasmTrapException>(() => instance.GetFunction("fill")!.Invoke(Value.FromI32(3), Value.FromExternRef(null), Value.FromI32(2)))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.TableOutOfBounds));
        Assert.That(instance.GetTable("t")!.Get(3).Reference, Is.SameAs(marker), "nothing written before the trap");
    }

    [Test]
    public void Instantiate_StartFunctionAndFailingSegment_KeepEarlierWrites()
    {
        var provider = WatCompiler.Instantiate(_store, """(module (memory (export "mem") 1))""");
        var linker = new Linker(_store.Engine);
        linker.DefineInstance("p", provider);
        var module = WatCompiler.Load(_store.Engine, """
            (module (import "p" "mem" (memory 1))
              (data (i32.const 0) "ok")
              (data (i32.const 65535) "too long"))
            """);
        var trap = Assert.Throws<WasmTrapException>(() => linker.Instantiate(_store, module))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(Encoding.ASCII.GetString(provider.GetMemory("mem")!.GetSpan(0, 2)), Is.EqualTo("ok"));

        var started = WatCompiler.Instantiate(_store, """
            (module (global (export "g") (mut i32) (i32.const 0)) (func $s (global.set 0 (i32.const 77))) (start $s))
            """);
        Assert.That(started.GetGlobal("g")!.Value.I32, Is.EqualTo(77));
    }

    private sealed class CappingLimiter(long cap) : IResourceLimiter
    {
        public long Cap { get; set; } = cap;

        public int Calls { get; private set; }

        public bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes)
        {
            Calls++;
            return desiredBytes <= Cap;
        }

        public bool TableGrowing(long currentElements, long desiredElements, long? maximumElements) => true;
    }
}
