using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// The other half of wasm-abi.md §10 under <see cref="FloatPolicy.Trap"/>: loads, stores, consts, reinterprets and
/// every generic instruction carrying a float value (locals, globals, select, drop, calls, block parameters and
/// results, tables of functions taking floats) run normally and keep the bits, NaN payloads included.
/// </summary>
[TestFixture]
public sealed class TrapPolicyAllowedTests
{
    // $p32/$p64 hold signalling NaNs with payloads: any arithmetic on them would change the bits (or trap here).
    private const string Module = """
        (module
          (memory 1)
          (global $g32 (mut f32) (f32.const 0))
          (global $g64 (mut f64) (f64.const 0))
          (global $c64 f64 (f64.const -0x1.8p-1073))
          (type $t (func (param f64) (result f64)))
          (table funcref (elem $id64))
          (func $id64 (param f64) (result f64) (local.get 0))
          (func $id32 (param f32) (result f32) (local $t f32) (local.set $t (local.get 0)) (local.get $t))
          (func (export "f32") (param i32) (result i32)
            (f32.store (i32.const 16) (f32.reinterpret_i32 (local.get 0)))
            (global.set $g32 (call $id32 (f32.load (i32.const 16))))
            (i32.reinterpret_f32
              (select (global.get $g32) (f32.const 1.5) (i32.const 1))))
          (func (export "f64") (param i64) (result i64) (local $x f64)
            (local.set $x (f64.reinterpret_i64 (local.get 0)))
            (f64.store offset=8 (i32.const 0) (local.get $x))
            (global.set $g64 (block (result f64) (f64.load offset=8 (i32.const 0))))
            (i64.reinterpret_f64
              (call_indirect (type $t)
                (if (result f64) (i32.const 1) (then (global.get $g64)) (else (f64.const 2)))
                (i32.const 0))))
          (func (export "loopParam") (param i64) (result i64)
            (i64.reinterpret_f64
              (f64.reinterpret_i64 (local.get 0))
              (loop (param f64) (result f64))))
          (func (export "consts") (result i64)
            (drop (f32.const nan:0x200001))
            (i64.add (i64.reinterpret_f64 (global.get $c64))
                     (i64.extend_i32_u (i32.reinterpret_f32 (f32.const -0x1p-149))))))
        """;

    private Store _store = null!;
    private Instance _instance = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new Store(new Engine(new EngineConfig().WithFloatPolicy(FloatPolicy.Trap)));
        _instance = WatCompiler.Instantiate(_store, Module);
    }

    [TearDown]
    public void TearDown() => _store.Dispose();

    [TestCase(0x7FA00001u)]
    [TestCase(0xFFC12345u)]
    [TestCase(0x80000001u)]
    public void TrapPolicy_F32DataMovement_KeepsBits(uint bits) =>
        Assert.That((uint)_instance.GetFunction("f32")!.Invoke(Value.FromI32((int)bits))[0].I32, Is.EqualTo(bits));

    [TestCase(0x7FF4000000000123ul)]
    [TestCase(0xFFF8000000000001ul)]
    [TestCase(0x8000000000000001ul)]
    public void TrapPolicy_F64DataMovement_KeepsBits(ulong bits)
    {
        Assert.That((ulong)_instance.GetFunction("f64")!.Invoke(Value.FromI64((long)bits))[0].I64, Is.EqualTo(bits));
        Assert.That((ulong)_instance.GetFunction("loopParam")!.Invoke(Value.FromI64((long)bits))[0].I64, Is.EqualTo(bits));
    }

    [Test]
    public void TrapPolicy_FloatConstants_AreAllowed()
    {
        // -0x1.8p-1073 is the subnormal 0x8000000000000003; -0x1p-149 is 0x80000001.
        Assert.That((ulong)_instance.GetFunction("consts")!.Invoke()[0].I64, Is.EqualTo(0x8000000000000003ul + 0x80000001ul));
    }
}
