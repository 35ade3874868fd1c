using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>Instruction metering (docs/fuel.md): exact counts of fixed programs, exhaustion, and the API.</summary>
[TestFixture]
public sealed class FuelTests
{
    /// <summary>The fixed programs whose fuel counts are pinned (also run lazily compiled by LazyModuleTests).</summary>
    internal const string Programs = """
        (module
          (func (export "sum") (param $n i32) (result i32) (local $acc i32)
            (block $done
              (loop $l
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc (i32.add (local.get $acc) (local.get $n)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $l)))
            (local.get $acc))
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
              (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
          (memory 1)
          (func (export "fill") (param i32) (result i32)
            (memory.fill (i32.const 0) (i32.const 7) (local.get 0))
            (i32.const 1))
          (func (export "spin") (loop $l (br $l)))
          (func (export "mixed") (param f64) (result i32) (local i32)
            (nop) (drop (i32.const 7))
            (block (local.set 1 (i32.const 3)))
            (i32.trunc_f64_s (f64.mul (local.get 0) (f64.const 2)))))
        """;

    [Test]
    public void Sum_FixedProgram_ConsumesCheckedInCount()
    {
        // Per iteration with n != 0: get, eqz, br_if (3) + get, get, add, set (4) + get, const, sub, set (4) + br (1) =
        // 12; the last test costs 3 and the final local.get 1: 12 * 10 + 4 = 124.
        Assert.That(Consumed("sum", Value.FromI32(10), out var result), Is.EqualTo(124));
        Assert.That(result.I32, Is.EqualTo(55));
    }

    [Test]
    public void Fib_FixedRecursiveProgram_ConsumesCheckedInCount()
    {
        // C(0) = C(1) = 5 (get, const, lt_u, if, get); C(n) = 13 + C(n-1) + C(n-2) (4 for the test, 4 per call
        // site, 1 add): C(10) = 1589.
        Assert.That(Consumed("fib", Value.FromI32(10), out var result), Is.EqualTo(1589));
        Assert.That(result.I32, Is.EqualTo(55));
    }

    [Test]
    public void Mixed_StructureMarkersFreeOthersOne_ConsumesCheckedInCount()
    {
        // nop 0, const 1, drop 1, block 0, const 1, set 1, end 0, get 1, const 1, mul 1, trunc 1, end 0 = 8.
        Assert.That(Consumed("mixed", Value.FromF64(2.5), out var result), Is.EqualTo(8));
        Assert.That(result.I32, Is.EqualTo(5));
    }

    [TestCase(0, 5)]
    [TestCase(1, 6)]
    [TestCase(64, 6)]
    [TestCase(65, 7)]
    [TestCase(1000, 21)]
    public void Fill_BulkLength_ChargedPerStarted64(int length, long expected)
    {
        // i32.const, i32.const, local.get, memory.fill, i32.const = 5 static units, plus ceil(n / 64) for the fill.
        Assert.That(Consumed("fill", Value.FromI32(length), out var result), Is.EqualTo(expected));
        Assert.That(result.I32, Is.EqualTo(1));
    }

    [Test]
    public void Sum_SameProgramUnderSoftFloatPolicy_SameCount()
    {
        using var store = new Store(new Engine(new EngineConfig().WithFuel(true).WithFloatPolicy(FloatPolicy.SoftFloat)));
        store.SetFuel(10_000);
        WatCompiler.Instantiate(store, Programs).GetFunction("mixed")!.Invoke(Value.FromF64(2.5));
        Assert.That(10_000 - store.GetFuel(), Is.EqualTo(8));
    }

    [Test]
    public void Spin_EndlessLoop_TrapsOutOfFuel()
    {
        using var store = new Store(new Engine(new EngineConfig().WithFuel(true)));
        var spin = WatCompiler.Instantiate(store, Programs).GetFunction("spin")!;
        store.SetFuel(1000);
        var trap = Assert.Throws<WasmTrapException>(() => spin.Invoke())!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.OutOfFuel));
        Assert.That(trap.Message, Is.EqualTo("all fuel consumed"));
        Assert.That(store.GetFuel(), Is.Zero);
    }

    [Test]
    public void Call_ExactFuel_SucceedsWithNoneLeftAndFarLessTraps()
    {
        using var store = new Store(new Engine(new EngineConfig().WithFuel(true)));
        var fib = WatCompiler.Instantiate(store, Programs).GetFunction("fib")!;
        store.SetFuel(1589);
        Assert.That(fib.Invoke(Value.FromI32(10))[0].I32, Is.EqualTo(55));
        Assert.That(store.GetFuel(), Is.Zero);
        // Checks sit at entries and loop headers, so the last runs after the final check may overshoot (docs/fuel.md);
        // 89 units short is exhausted before the last call's entry check.
        store.SetFuel(1500);
        Assert.That(Assert.Throws<WasmTrapException>(() => fib.Invoke(Value.FromI32(10)))!.Code, Is.EqualTo(TrapCode.OutOfFuel));
    }

    [Test]
    public void Store_NoFuelSet_FirstCallTraps_AddFuelResumes()
    {
        using var store = new Store(new Engine(new EngineConfig().WithFuel(true)));
        var sum = WatCompiler.Instantiate(store, Programs).GetFunction("sum")!;
        store.SetFuel(0);
        Assert.That(sum.Invoke(Value.FromI32(0))[0].I32, Is.Zero, "a 4-unit run with 0 fuel passes the entry check, then overshoots");
        Assert.That(Assert.Throws<WasmTrapException>(() => sum.Invoke(Value.FromI32(0)))!.Code, Is.EqualTo(TrapCode.OutOfFuel));
        store.AddFuel(100);
        Assert.That(store.GetFuel(), Is.EqualTo(100), "a negative remainder counts as 0");
        Assert.That(sum.Invoke(Value.FromI32(3))[0].I32, Is.EqualTo(6));
        Assert.That(store.GetFuel(), Is.EqualTo(100 - 40));
    }

    [Test]
    public void Store_FuelOff_FuelApiThrowsAndNothingIsMetered()
    {
        using var store = new Store(new Engine());
        Assert.Throws<InvalidOperationException>(() => store.SetFuel(1));
        Assert.Throws<InvalidOperationException>(() => store.GetFuel());
        Assert.That(WatCompiler.Instantiate(store, Programs).GetFunction("fib")!.Invoke(Value.FromI32(15))[0].I32, Is.EqualTo(610));
    }

    private static long Consumed(string function, Value argument, out Value result)
    {
        const ulong Start = 1_000_000;
        using var store = new Store(new Engine(new EngineConfig().WithFuel(true)));
        var func = WatCompiler.Instantiate(store, Programs).GetFunction(function)!;
        store.SetFuel(Start);
        result = func.Invoke(argument)[0];
        return (long)(Start - store.GetFuel());
    }
}
