using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>End-to-end checks of the IL compiler: wat2wasm → decode → validate → compile → run.</summary>
[TestFixture]
public sealed class FunctionCompilerTests
{
    private Engine _engine = null!;
    private Store _store = null!;

    [SetUp]
    public void SetUp()
    {
        _engine = new Engine();
        _store = new Store(_engine);
    }

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void Invoke_I32Add_ReturnsSum()
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
            """);
        var result = instance.GetFunction("add")!.Invoke(Value.FromI32(40), Value.FromI32(2));
        Assert.That(result[0].I32, Is.EqualTo(42));
    }

    [Test]
    public void Invoke_RecursiveFactorial_ReturnsProduct()
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module
              (func $fac (export "fac") (param i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (i64.const 1))
                  (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))
            """);
        Assert.That(instance.GetFunction("fac")!.Invoke(Value.FromI64(20))[0].I64, Is.EqualTo(2432902008176640000L));
    }

    [Test]
    public void Invoke_LoopWithBranches_SumsRange()
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module
              (func (export "sum") (param $n i32) (result i32) (local $acc i32)
                (block $done
                  (loop $next
                    (br_if $done (i32.eqz (local.get $n)))
                    (local.set $acc (i32.add (local.get $acc) (local.get $n)))
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (br $next)))
                (local.get $acc)))
            """);
        Assert.That(instance.GetFunction("sum")!.Invoke(Value.FromI32(100))[0].I32, Is.EqualTo(5050));
    }

    [TestCase(0, 10)]
    [TestCase(1, 20)]
    [TestCase(2, 30)]
    [TestCase(7, 99)]
    [TestCase(-1, 99)]
    public void Invoke_BrTableWithValues_PicksTarget(int index, int expected)
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module
              (func (export "pick") (param i32) (result i32)
                (block $d (result i32)
                  (block $c (result i32)
                    (block $b (result i32)
                      (block $a (result i32)
                        (i32.const 5) (local.get 0) (br_table $a $b $c $d))
                      (drop) (return (i32.const 10)))
                    (drop) (return (i32.const 20)))
                  (drop) (return (i32.const 30)))
                (drop) (i32.const 99)))
            """);
        Assert.That(instance.GetFunction("pick")!.Invoke(Value.FromI32(index))[0].I32, Is.EqualTo(expected));
    }

    [Test]
    public void Invoke_MultiValue_ReturnsAllResults()
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module
              (func $swap (param i32 i64) (result i64 i32) local.get 1 local.get 0)
              (func (export "f") (param i32 i64) (result i64 i32 f64)
                (call $swap (local.get 0) (local.get 1)) (f64.const 2.5)))
            """);
        var results = instance.GetFunction("f")!.Invoke(Value.FromI32(7), Value.FromI64(-9));
        Assert.That(results[0].I64, Is.EqualTo(-9));
        Assert.That(results[1].I32, Is.EqualTo(7));
        Assert.That(results[2].F64, Is.EqualTo(2.5));
    }

    [Test]
    public void Invoke_BlockParamsAndBranchCarryingValues_Works()
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module
              (func (export "f") (param i32) (result i32)
                (i32.const 1) (i32.const 2)
                (block (param i32 i32) (result i32)
                  (i32.add)
                  (local.get 0)
                  (br_if 0)
                  (drop)
                  (i32.const 100))
                (local.get 0)
                (if (param i32) (result i32) (then (i32.const 1000) (i32.add)) (else (i32.const 2000) (i32.add)))))
            """);
        var f = instance.GetFunction("f")!;
        Assert.That(f.Invoke(Value.FromI32(1))[0].I32, Is.EqualTo(1003));
        Assert.That(f.Invoke(Value.FromI32(0))[0].I32, Is.EqualTo(2100));
    }

    [Test]
    public void Invoke_MemoryStoreLoad_RoundTrips()
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module (memory (export "mem") 1)
              (data (i32.const 16) "\01\02\03\04")
              (func (export "rw") (param i32 i64) (result i64)
                (i64.store offset=8 (local.get 0) (local.get 1))
                (i64.add (i64.load offset=8 (local.get 0)) (i64.load32_u (i32.const 16)))))
            """);
        var result = instance.GetFunction("rw")!.Invoke(Value.FromI32(100), Value.FromI64(1L << 40));
        Assert.That(result[0].I64, Is.EqualTo((1L << 40) + 0x04030201));
        Assert.That(instance.GetMemory("mem")!.GetSpan(108, 8).ToArray(), Is.EqualTo(BitConverter.GetBytes(1L << 40)));
    }

    [Test]
    public void Invoke_GlobalsDirectAndExported_ReadAndWrite()
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module
              (global $hidden (mut i32) (i32.const 5))
              (global $shown (export "g") (mut f32) (f32.const 1.5))
              (func (export "bump") (result i32)
                (global.set $hidden (i32.add (global.get $hidden) (i32.const 1)))
                (global.set $shown (f32.add (global.get $shown) (f32.const 1)))
                (global.get $hidden)))
            """);
        var bump = instance.GetFunction("bump")!;
        Assert.That(bump.Invoke()[0].I32, Is.EqualTo(6));
        Assert.That(bump.Invoke()[0].I32, Is.EqualTo(7));
        Assert.That(instance.GetGlobal("g")!.Value.F32, Is.EqualTo(3.5f));
    }

    [Test]
    public void Invoke_SelectAndDrop_Work()
    {
        var instance = WatCompiler.Instantiate(_store, """
            (module (func (export "f") (param i32) (result i64)
              (i32.const 99) (drop)
              (select (i64.const 10) (i64.const 20) (local.get 0))))
            """);
        var f = instance.GetFunction("f")!;
        Assert.That(f.Invoke(Value.FromI32(1))[0].I64, Is.EqualTo(10));
        Assert.That(f.Invoke(Value.FromI32(0))[0].I64, Is.EqualTo(20));
    }
}
