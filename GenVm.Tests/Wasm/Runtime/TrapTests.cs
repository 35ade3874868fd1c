using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Runtime;

/// <summary>Every trap code compiled code raises, with its wasm backtrace; .NET exceptions never escape raw.</summary>
[TestFixture]
public sealed class TrapTests
{
    private const string Module = """
        (module $traps
          (memory 1)
          (table 2 funcref)
          (elem (i32.const 0) $typed)
          (type $other (func (param i64)))
          (func $typed (result i32) (i32.const 1))
          (func $unreachable (export "unreachable") unreachable)
          (func $inner (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func $div_s (export "div_s") (param i32 i32) (result i32) (call $inner (local.get 0) (local.get 1)))
          (func (export "div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
          (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
          (func (export "rem_s64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
          (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
          (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
          (func (export "store64") (param i32) (i64.store (local.get 0) (i64.const 1)))
          (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
          (func (export "trunc_u64") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
          (func (export "call_null") (call_indirect (result i32) (i32.const 1)) drop)
          (func (export "call_oob") (call_indirect (result i32) (i32.const 2)) drop)
          (func (export "call_bad_sig") (call_indirect (type $other) (i64.const 0) (i32.const 0)))
          (func (export "table_oob") (drop (table.get 0 (i32.const 5))))
          (func (export "fill_oob") (memory.fill (i32.const 65530) (i32.const 0) (i32.const 7))))
        """;

    private Store _store = null!;
    private Instance _instance = null!;

    [SetUp]
    public void SetUp()
    {
        _store = new Store(new Engine());
        _instance = WatCompiler.Instantiate(_store, Module);
    }

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void Unreachable_Executed_TrapsWithBacktrace()
    {
        var trap = Trap("unreachable");
        Assert.That(trap.Code, Is.EqualTo(TrapCode.UnreachableCodeReached));
        Assert.That(trap.Message, Is.EqualTo("unreachable"));
        Assert.That(trap.Frames, Has.Count.EqualTo(1));
        Assert.That(trap.Frames[0].FunctionName, Is.EqualTo("$unreachable").Or.EqualTo("unreachable"));
        Assert.That(trap.Frames[0].FunctionIndex, Is.EqualTo(1u));
        Assert.That(trap.Frames[0].ModuleName, Is.EqualTo("traps").Or.EqualTo("$traps"));
    }

    [Test]
    public void DivS_ByZeroInCallee_TrapsWithTwoFrames()
    {
        var trap = Trap("div_s", Value.FromI32(1), Value.FromI32(0));
        Assert.That(trap.Code, Is.EqualTo(TrapCode.IntegerDivisionByZero));
        Assert.That(trap.Frames.Select(f => f.FunctionIndex), Is.EqualTo(new uint[] { 2, 3 }));
    }

    [Test]
    public void Backtrace_CodeOffsets_PointAtTrappingAndCallingInstructions()
    {
        var bytes = WatCompiler.Compile(Module);
        var trap = Trap("div_s", Value.FromI32(1), Value.FromI32(0));
        Assert.That(trap.Frames[0].CodeOffset, Is.Not.Null);
        Assert.That(bytes[trap.Frames[0].CodeOffset!.Value], Is.EqualTo(0x6D), "i32.div_s");
        Assert.That(bytes[trap.Frames[1].CodeOffset!.Value], Is.EqualTo(0x10), "call");
        Assert.That(bytes[Trap("load", Value.FromI32(-1)).Frames[0].CodeOffset!.Value], Is.EqualTo(0x28), "i32.load");
    }

    [Test]
    public void DivS_MinByMinusOne_TrapsIntegerOverflow()
    {
        Assert.That(Trap("div_s", Value.FromI32(int.MinValue), Value.FromI32(-1)).Code, Is.EqualTo(TrapCode.IntegerOverflow));
        Assert.That(Trap("div_s64", Value.FromI64(long.MinValue), Value.FromI64(-1)).Code, Is.EqualTo(TrapCode.IntegerOverflow));
    }

    [Test]
    public void RemS_MinByMinusOne_IsZero()
    {
        Assert.That(Call("rem_s", Value.FromI32(int.MinValue), Value.FromI32(-1)).I32, Is.Zero);
        Assert.That(Call("rem_s64", Value.FromI64(long.MinValue), Value.FromI64(-1)).I64, Is.Zero);
    }

    [Test]
    public void DivU_ByZero_TrapsDivisionByZero() =>
        Assert.That(Trap("div_u", Value.FromI32(1), Value.FromI32(0)).Code, Is.EqualTo(TrapCode.IntegerDivisionByZero));

    [TestCase(65532)]
    [TestCase(-1)]
    [TestCase(-4)]
    public void Load_PastEnd_TrapsMemoryOutOfBounds(int address) =>
        Assert.That(Trap("load", Value.FromI32(address)).Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));

    [Test]
    public void Load_LastWord_Succeeds() => Assert.That(Call("load", Value.FromI32(65528)).I32, Is.Zero);

    [Test]
    public void Store_Straddling_TrapsBeforeWriting() =>
        Assert.That(Trap("store64", Value.FromI32(65532)).Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));

    [Test]
    public void Trunc_NaNAndOverflow_TrapWithSpecMessages()
    {
        var nan = Trap("trunc", Value.FromF64(double.NaN));
        Assert.That(nan.Code, Is.EqualTo(TrapCode.BadConversionToInteger));
        Assert.That(nan.Message, Is.EqualTo("invalid conversion to integer"));
        var overflow = Trap("trunc", Value.FromF64(2147483648.0));
        Assert.That(overflow.Code, Is.EqualTo(TrapCode.IntegerOverflow));
        Assert.That(overflow.Message, Is.EqualTo("integer overflow"));
        Assert.That(Call("trunc", Value.FromF64(-2147483648.9)).I32, Is.EqualTo(int.MinValue));
        Assert.That(Trap("trunc_u64", Value.FromF32(-1f)).Code, Is.EqualTo(TrapCode.IntegerOverflow));
        Assert.That(Call("trunc_u64", Value.FromF32(-0.9f)).I64, Is.Zero);
    }

    [Test]
    public void CallIndirect_NullOutOfBoundsMismatch_TrapDistinctly()
    {
        Assert.That(Trap("call_null").Code, Is.EqualTo(TrapCode.IndirectCallToNull));
        Assert.That(Trap("call_oob").Code, Is.EqualTo(TrapCode.TableOutOfBounds));
        var mismatch = Trap("call_bad_sig");
        Assert.That(mismatch.Code, Is.EqualTo(TrapCode.BadSignature));
        Assert.That(mismatch.Message, Is.EqualTo("indirect call type mismatch"));
    }

    [Test]
    public void TableGet_PastEnd_TrapsTableOutOfBounds() =>
        Assert.That(Trap("table_oob").Code, Is.EqualTo(TrapCode.TableOutOfBounds));

    [Test]
    public void MemoryFill_PastEnd_TrapsAndWritesNothing()
    {
        Assert.That(Trap("fill_oob").Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(_instance.DefaultMemory!.GetSpan(65530, 6).ToArray(), Is.All.EqualTo(0));
    }

    [Test]
    public void DeterministicEngine_FloatComparison_TrapsAfterEarlierCodeRan()
    {
        using var store = new Store(new Engine(new EngineConfig().WithTrapOnFloatInstructions(true)));
        var instance = WatCompiler.Instantiate(store, """
            (module
              (global $seen (export "seen") (mut i32) (i32.const 0))
              (memory 1)
              (func (export "le") (param f64 f64) (result i32)
                (global.set $seen (i32.const 1))
                (f64.le (local.get 0) (local.get 1)))
              (func (export "allowed") (param f32) (result i32)
                (f32.store (i32.const 0) (local.get 0))
                (i32.reinterpret_f32 (f32.load (i32.const 0)))))
            """);
        var trap = Assert.Throws<WasmTrapException>(() => instance.GetFunction("le")!.Invoke(Value.FromF64(1), Value.FromF64(2)))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.DeterministicMode));
        Assert.That(instance.GetGlobal("seen")!.Value.I32, Is.EqualTo(1));
        Assert.That(instance.GetFunction("allowed")!.Invoke(Value.FromF32Bits(0x7FA00000))[0].I32, Is.EqualTo(0x7FA00000));
    }

    [Test]
    public void HostCallback_ThrowsOtherException_PropagatesUnchanged()
    {
        var linker = new Linker(_store.Engine);
        linker.DefineFunction("env", "boom", new FuncType(Array.Empty<ValueKind>(), Array.Empty<ValueKind>()), (_, _, _) => throw new DivideByZeroException("host"));
        var instance = WatCompiler.Instantiate(_store, """
            (module (import "env" "boom" (func $boom)) (func (export "run") (call $boom)))
            """, linker);
        var ex = Assert.Throws<DivideByZeroException>(() => instance.GetFunction("run")!.Invoke());
        Assert.That(ex!.Message, Is.EqualTo("host"));
    }

    private Value Call(string name, params Value[] args) => _instance.GetFunction(name)!.Invoke(args)[0];

    private WasmTrapException Trap(string name, params Value[] args)
    {
        var func = _instance.GetFunction(name)!;
        return Assert.Throws<WasmTrapException>(() => func.Invoke(args))!;
    }
}
