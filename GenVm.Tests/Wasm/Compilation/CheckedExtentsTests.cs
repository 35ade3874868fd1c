using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// The compiler leaves out a bounds check when an earlier check of the same local's value covered the access
/// (FunctionCompiler.CheckedExtents.cs). Each case here is an access that rule must NOT consider covered: a larger
/// extent, a rewritten local, a value pushed before the write, a fact from a branch that did not run, a loop that moves
/// the pointer. Each must still trap MemoryOutOfBounds; the in-bounds calls show the covered accesses still read right.
/// </summary>
[TestFixture]
public sealed class CheckedExtentsTests
{
    private const int PageSize = 65536;

    private static Func Export(string body, string name = "f")
    {
        var store = new Store(new Engine());
        var instance = WatCompiler.Instantiate(store, $$"""
            (module (memory 1)
              (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
              {{body}})
            """);
        return instance.GetFunction(name)!;
    }

    private static void AssertTraps(Func func, params Value[] args)
    {
        var trap = Assert.Throws<WasmTrapException>(() => func.Invoke(args))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
    }

    [Test]
    public void Load_SameLocalSmallerExtent_ReadsAndLargerExtentTraps()
    {
        var f = Export("""
            (func (export "f") (param i32) (result i32)
              (drop (i32.load offset=4 (local.get 0)))
              (i32.add (i32.load8_u offset=2 (local.get 0))
                (i32.add (i32.load16_u (local.get 0)) (i32.load offset=5 (local.get 0)))))
            """);
        Assert.That(f.Invoke(Value.FromI32(0))[0].I32, Is.EqualTo(3 + 0x0201 + 0x09080706));
        AssertTraps(f, Value.FromI32(PageSize - 8)); // offset=4 passes, offset=5 (extent 9) does not
        AssertTraps(f, Value.FromI32(PageSize - 7)); // the first check traps
    }

    [Test]
    public void Load_LocalRewrittenAfterCheck_IsCheckedAgain()
    {
        var f = Export("""
            (func (export "f") (param i32 i32) (result i32)
              (drop (i32.load offset=8 (local.get 0)))
              (local.set 0 (local.get 1))
              (i32.load (local.get 0)))
            """);
        Assert.That(f.Invoke(Value.FromI32(0), Value.FromI32(4))[0].I32, Is.EqualTo(0x08070605));
        AssertTraps(f, Value.FromI32(0), Value.FromI32(PageSize - 2));
    }

    [Test]
    public void Load_ValuePushedBeforeTheLocalWasRewrittenAndChecked_IsChecked()
    {
        // The old value of local 0 stays on the operand stack while local 0 gets a new, checked value.
        var f = Export("""
            (func (export "f") (param i32) (result i32)
              local.get 0
              i32.const 0
              local.set 0
              local.get 0
              i32.load offset=12
              drop
              i32.load)
            """);
        Assert.That(f.Invoke(Value.FromI32(8))[0].I32, Is.EqualTo(0x0c0b0a09));
        AssertTraps(f, Value.FromI32(PageSize - 3));
    }

    [Test]
    public void Load_TeeValueCheckedThenStoreWithLargerExtent_Traps()
    {
        var f = Export("""
            (func (export "f") (param i32) (result i32)
              (drop (i32.load8_u (local.tee 0 (i32.add (local.get 0) (i32.const 1)))))
              (i64.store (local.get 0) (i64.const -1))
              (i32.load8_u (local.get 0)))
            """);
        Assert.That(f.Invoke(Value.FromI32(0))[0].I32, Is.EqualTo(255));
        AssertTraps(f, Value.FromI32(PageSize - 6));
    }

    [Test]
    public void Load_FactFromThenBranchNotTaken_DoesNotCoverTheCodeAfterTheIf()
    {
        var f = Export("""
            (func (export "f") (param i32 i32) (result i32)
              (if (local.get 1) (then (drop (i32.load offset=100 (local.get 0)))))
              (i32.load offset=50 (local.get 0)))
            """);
        Assert.That(f.Invoke(Value.FromI32(PageSize - 200), Value.FromI32(1))[0].I32, Is.Zero);
        AssertTraps(f, Value.FromI32(PageSize - 53), Value.FromI32(0));
        AssertTraps(f, Value.FromI32(PageSize - 53), Value.FromI32(1));
    }

    [Test]
    public void Load_FactFromThenBranch_DoesNotCoverTheElseBranch()
    {
        var f = Export("""
            (func (export "f") (param i32 i32) (result i32)
              (if (result i32) (local.get 1)
                (then (i32.load offset=100 (local.get 0)))
                (else (i32.load offset=50 (local.get 0)))))
            """);
        Assert.That(f.Invoke(Value.FromI32(0), Value.FromI32(0))[0].I32, Is.Zero);
        AssertTraps(f, Value.FromI32(PageSize - 53), Value.FromI32(0));
    }

    [Test]
    public void Load_FactAfterBranchOutOfBlock_DoesNotCoverTheCodeAfterTheBlock()
    {
        var f = Export("""
            (func (export "f") (param i32 i32) (result i32)
              (block $b
                (br_if $b (local.get 1))
                (drop (i32.load offset=100 (local.get 0))))
              (i32.load offset=50 (local.get 0)))
            """);
        Assert.That(f.Invoke(Value.FromI32(PageSize - 104), Value.FromI32(0))[0].I32, Is.Zero);
        AssertTraps(f, Value.FromI32(PageSize - 53), Value.FromI32(1));
    }

    [Test]
    public void Load_FactBeforeLoopThatMovesThePointer_IsCheckedEveryIteration()
    {
        // Before the loop local 0 is checked with extent 4; the body reads through it, then moves it by 64 KiB.
        var f = Export("""
            (func (export "f") (param i32 i32) (result i32) (local i32)
              (drop (i32.load (local.get 0)))
              (loop $l
                (local.set 2 (i32.add (local.get 2) (i32.load8_u (local.get 0))))
                (local.set 0 (i32.add (local.get 0) (i32.const 65536)))
                (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
              (local.get 2))
            """);
        Assert.That(f.Invoke(Value.FromI32(3), Value.FromI32(1))[0].I32, Is.EqualTo(4));
        AssertTraps(f, Value.FromI32(3), Value.FromI32(2));
    }

    [Test]
    public void Load_FactBeforeLoopForUnwrittenLocal_CoversTheBodyAndStaysExact()
    {
        // Local 0 is never written in the loop: its fact (extent 16) covers the body's reads; a read beyond it traps.
        var f = Export("""
            (func (export "f") (param i32 i32) (result i32) (local i32)
              (drop (i32.load offset=12 (local.get 0)))
              (loop $l
                (local.set 2 (i32.add (local.get 2) (i32.load8_u offset=15 (local.get 0))))
                (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
              (i32.add (local.get 2) (i32.load8_u offset=16 (local.get 0))))
            """);
        Assert.That(f.Invoke(Value.FromI32(0), Value.FromI32(3))[0].I32, Is.EqualTo((3 * 16) + 0));
        AssertTraps(f, Value.FromI32(PageSize - 16), Value.FromI32(3));
    }

    [Test]
    public void Load_CheckInsideLoopBody_DoesNotCoverTheNextIterationsNewValue()
    {
        // A counted walk: each iteration's pointer is new, so each read is checked (versioned or not).
        var f = Export("""
            (func (export "f") (param i32 i32) (result i32) (local i32)
              (loop $l
                (local.set 2 (i32.add (local.get 2) (i32.load8_u (local.get 0))))
                (drop (i32.load8_u offset=1 (local.get 0)))
                (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
              (local.get 2))
            """);
        Assert.That(f.Invoke(Value.FromI32(0), Value.FromI32(4))[0].I32, Is.EqualTo(1 + 2 + 3 + 4));
        AssertTraps(f, Value.FromI32(PageSize - 3), Value.FromI32(4));
    }
}
