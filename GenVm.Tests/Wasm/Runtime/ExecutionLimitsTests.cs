using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Runtime;

/// <summary>Call depth, native stack guard, interruption and tail calls (wasm-abi.md §11, §13).</summary>
[TestFixture]
public sealed class ExecutionLimitsTests
{
    private const string Recursion = """
        (module
          (func $down (export "down") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
        """;

    [Test]
    public void Call_1024Frames_SucceedsAnd1025Traps()
    {
        using var store = new Store(new Engine());
        var down = WatCompiler.Instantiate(store, Recursion).GetFunction("down")!;
        Assert.That(down.Invoke(Value.FromI32(1023))[0].I32, Is.EqualTo(1023));
        var trap = Assert.Throws<WasmTrapException>(() => down.Invoke(Value.FromI32(1024)))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.StackOverflow));
        Assert.That(trap.Message, Is.EqualTo("call stack exhausted"));

        // The depth counter is restored after the trap.
        Assert.That(down.Invoke(Value.FromI32(1023))[0].I32, Is.EqualTo(1023));
    }

    [Test]
    public void Call_ValueStackBudgetExhausted_TrapsAndRestores()
    {
        // "down" declares no locals and its operand stack peaks at 3 (i32.add 1 (call (i32.sub n 1)))): cost 3.
        using var store = new Store(new Engine(new EngineConfig().WithMaxCallDepth(100_000).WithValueStackBudget(30)));
        var down = WatCompiler.Instantiate(store, Recursion).GetFunction("down")!;
        Assert.That(down.Invoke(Value.FromI32(9))[0].I32, Is.EqualTo(9), "10 frames x 3 units fit in 30");
        var trap = Assert.Throws<WasmTrapException>(() => down.Invoke(Value.FromI32(10)))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.StackOverflow));
        Assert.That(down.Invoke(Value.FromI32(9))[0].I32, Is.EqualTo(9), "budget restored after the trap");
    }

    [Test]
    public void Compile_FunctionCostAboveBudget_FailsValidation()
    {
        var engine = new Engine(new EngineConfig().WithValueStackBudget(8));
        var locals = string.Concat(Enumerable.Repeat("(local i64)", 9));
        Assert.Throws<ModuleValidationException>(() => WatCompiler.Load(engine, $"(module (func {locals}))"));
    }

    [Test]
    public void Call_UnboundedDepthOnSmallThreadStack_TrapsInsteadOfCrashing()
    {
        // With the frame limit out of the way only the native stack guard stands between the guest and a fatal
        // .NET stack overflow; a 1 MiB thread and frames of several KiB make it trip quickly.
        using var store = new Store(new Engine(new EngineConfig().WithMaxCallDepth(10_000_000)));
        var locals = string.Concat(Enumerable.Range(0, 400).Select(i => $"(local $l{i} i64)"));
        var uses = string.Concat(Enumerable.Range(0, 400).Select(i => $"(local.set $l{i} (i64.add (local.get $l{i}) (i64.extend_i32_u (local.get 0))))"));
        var sums = string.Concat(Enumerable.Range(0, 399).Select(i => "(i64.add ")) + "(local.get $l0)" +
            string.Concat(Enumerable.Range(1, 399).Select(i => $"(local.get $l{i}))"));
        var instance = WatCompiler.Instantiate(store, $$"""
            (module
              (func $deep (export "deep") (param i32) (result i64) {{locals}}
                {{uses}}
                (i64.add {{sums}} (call $deep (i32.add (local.get 0) (i32.const 1))))))
            """);
        var deep = instance.GetFunction("deep")!;
        WasmTrapException? trap = null;
        var thread = new Thread(() => trap = Assert.Throws<WasmTrapException>(() => deep.Invoke(Value.FromI32(0))), 1024 * 1024);
        thread.Start();
        thread.Join();
        Assert.That(trap, Is.Not.Null);
        Assert.That(trap!.Code, Is.EqualTo(TrapCode.StackOverflow));
    }

    [Test]
    public void ReturnCall_MillionIterations_NeitherDepthNorStackGrows()
    {
        using var store = new Store(new Engine());
        var instance = WatCompiler.Instantiate(store, """
            (module
              (func $count (export "count") (param i64 i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0))
                  (then (local.get 1))
                  (else (return_call $count (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 2))))))
              (table funcref (elem $even $odd))
              (type $t (func (param i32) (result i32)))
              (func $even (export "even") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
                  (else (return_call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))))
              (func $odd (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                  (else (return_call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))))))
            """);
        Assert.That(instance.GetFunction("count")!.Invoke(Value.FromI64(1_000_000), Value.FromI64(0))[0].I64, Is.EqualTo(2_000_000));
        Assert.That(instance.GetFunction("even")!.Invoke(Value.FromI32(1_000_001))[0].I32, Is.Zero);
    }

    [Test]
    public void Interrupt_EndlessLoopOnAnotherThread_TrapsInterrupt()
    {
        using var store = new Store(new Engine());
        using var started = new ManualResetEventSlim();
        var linker = new Linker(store.Engine);
        linker.DefineFunction("env", "started", new FuncType(Array.Empty<ValueKind>(), Array.Empty<ValueKind>()), (_, _, _) => started.Set());
        var instance = WatCompiler.Instantiate(store, """
            (module (import "env" "started" (func $started))
              (func (export "spin") (local i32) (call $started) (loop $l (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br $l))))
            """, linker);
        WasmTrapException? trap = null;
        var thread = new Thread(() => trap = Assert.Throws<WasmTrapException>(() => instance.GetFunction("spin")!.Invoke()));
        thread.Start();
        started.Wait();
        store.Interrupt();
        thread.Join();
        Assert.That(trap!.Code, Is.EqualTo(TrapCode.Interrupt));
        Assert.That(store.IsInterrupted, Is.True);
        store.ClearInterrupt();
        Assert.That(store.IsInterrupted, Is.False);
    }

    [Test]
    public void Interrupt_EndlessTailRecursion_TrapsInterrupt()
    {
        using var store = new Store(new Engine());
        using var started = new ManualResetEventSlim();
        var linker = new Linker(store.Engine);
        linker.DefineFunction("env", "started", new FuncType(Array.Empty<ValueKind>(), Array.Empty<ValueKind>()), (_, _, _) => started.Set());
        var instance = WatCompiler.Instantiate(store, """
            (module (import "env" "started" (func $started))
              (func $f (param i32) (return_call $f (i32.add (local.get 0) (i32.const 1))))
              (func (export "run") (call $started) (call $f (i32.const 0))))
            """, linker);
        WasmTrapException? trap = null;
        var thread = new Thread(() => trap = Assert.Throws<WasmTrapException>(() => instance.GetFunction("run")!.Invoke()));
        thread.Start();
        started.Wait();
        store.Interrupt();
        thread.Join();
        Assert.That(trap!.Code, Is.EqualTo(TrapCode.Interrupt));
    }
}
