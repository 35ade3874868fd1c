using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// Leaf functions (no call, call_indirect, memory.grow or table.grow) check the frame and value-stack limits without
/// holding them (FunctionCompiler.EmitPrologue): the limits must trip at exactly the same frame as for any function
/// (wasm-abi.md §13), the trap must name the leaf, and nothing may leak into later calls.
/// </summary>
[TestFixture]
public sealed class LeafFunctionTests
{
    // $leaf (function 0): no locals, operand stack peaks at 2, cost 2. $down: cost 3 (see ExecutionLimitsTests).
    // down(n) is n + 1 frames of $down and one of $leaf, and returns n + 1.
    private const string DownToLeaf = """
        (module
          (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func $down (export "down") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (call $leaf (i32.const 0)))
              (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
        """;

    [Test]
    public void Call_LeafAsFrame1024_SucceedsAndAsFrame1025Traps()
    {
        using var store = new Store(new Engine());
        var down = WatCompiler.Instantiate(store, DownToLeaf).GetFunction("down")!;
        Assert.That(down.Invoke(Value.FromI32(1022))[0].I32, Is.EqualTo(1023), "1023 frames of down + the leaf = 1024");
        var trap = Assert.Throws<WasmTrapException>(() => down.Invoke(Value.FromI32(1023)))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.StackOverflow));
        Assert.That(trap.Frames[0].FunctionIndex, Is.Zero, "the leaf is the frame that does not fit");
        Assert.That(trap.Frames, Has.Count.EqualTo(1025));
        Assert.That(down.Invoke(Value.FromI32(1022))[0].I32, Is.EqualTo(1023), "depth restored after the trap");
    }

    [Test]
    public void Call_LeafOverValueStackBudget_TrapsAtTheLeafAndRestores()
    {
        using var store = new Store(new Engine(new EngineConfig().WithMaxCallDepth(100_000).WithValueStackBudget(30)));
        var down = WatCompiler.Instantiate(store, DownToLeaf).GetFunction("down")!;
        Assert.That(down.Invoke(Value.FromI32(8))[0].I32, Is.EqualTo(9), "9 x 3 + 2 = 29 units fit in 30");
        var trap = Assert.Throws<WasmTrapException>(() => down.Invoke(Value.FromI32(9)))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.StackOverflow));
        Assert.That(trap.Frames[0].FunctionIndex, Is.Zero, "10 x 3 = 30 fit; the leaf's 2 do not");
        Assert.That(down.Invoke(Value.FromI32(8))[0].I32, Is.EqualTo(9), "budget restored after the trap");
    }

    [Test]
    public void Call_LeafCalledManyTimes_HoldsNoFrame()
    {
        // 5000 sequential leaf calls from one frame: had a leaf kept its frame or budget, the limits would trip.
        using var store = new Store(new Engine(new EngineConfig().WithMaxCallDepth(2).WithValueStackBudget(16)));
        var instance = WatCompiler.Instantiate(store, """
            (module
              (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
              (func (export "run") (result i32) (local i32)
                (loop $l
                  (local.set 0 (call $leaf (local.get 0)))
                  (br_if $l (i32.lt_u (local.get 0) (i32.const 5000))))
                (local.get 0)))
            """);
        Assert.That(instance.GetFunction("run")!.Invoke()[0].I32, Is.EqualTo(5000));
    }

    [Test]
    public void Invoke_LeafTrapsOutOfBounds_FramesNameItAndLaterCallsWork()
    {
        using var store = new Store(new Engine(new EngineConfig().WithMaxCallDepth(3)));
        var instance = WatCompiler.Instantiate(store, """
            (module (memory 1)
              (func $load (param i32) (result i32) (i32.load (local.get 0)))
              (func $mid (param i32) (result i32) (call $load (local.get 0)))
              (func (export "run") (param i32) (result i32) (call $mid (local.get 0))))
            """);
        var run = instance.GetFunction("run")!;
        var trap = Assert.Throws<WasmTrapException>(() => run.Invoke(Value.FromI32(65533)))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(trap.Frames.Select(f => f.FunctionIndex), Is.EqualTo(new uint[] { 0, 1, 2 }));
        for (var i = 0; i < 100; i++)
        {
            Assert.That(run.Invoke(Value.FromI32(65532))[0].I32, Is.Zero, "three frames fit the limit of 3 every time");
        }
    }
}
