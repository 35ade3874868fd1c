using GenVm.Core.Supervisor;
using GenVm.Tests.Wasm;
using GenVm.Wasm;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// The stack limits of wasm-abi.md §13 with the executor's own engine configurations (not hand-picked budgets): 1024
/// frames, and the 65535-unit value-stack budget counted exactly.
/// </summary>
[TestFixture]
public sealed class VmRunnerLimitsTests
{
    // Recursion whose operand stack peaks at 3 (i32.add 1 (call (i32.sub n 1))) plus `locals` unused declared locals:
    // each frame costs locals + 3 units (§13: declared locals, parameters excluded, + maximum operand height).
    private static string Recursion(int locals) => $$"""
        (module
          (func $down (export "down") (param i32) (result i32) {{string.Concat(Enumerable.Repeat("(local i32)", locals))}}
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
        """;

    private static IEnumerable<TestCaseData> Configs()
    {
        yield return new TestCaseData(VmRunner.DeterministicConfig()).SetArgDisplayNames("det");
        yield return new TestCaseData(VmRunner.NondetConfig()).SetArgDisplayNames("nondet");
    }

    [TestCaseSource(nameof(Configs))]
    public void Call_ExecutorConfig_Entry1023NestedPassAnd1024Traps(EngineConfig config)
    {
        // Cost 3 per frame: 1025 frames use 3075 units, far below the budget, so the frame limit is what trips.
        using var store = new Store(new Engine(config));
        var down = WatCompiler.Instantiate(store, Recursion(0)).GetFunction("down")!;
        Assert.That(down.Invoke(Value.FromI32(1023))[0].I32, Is.EqualTo(1023), "entry + 1023 nested calls");
        var trap = Assert.Throws<WasmTrapException>(() => down.Invoke(Value.FromI32(1024)))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.StackOverflow));
    }

    [TestCaseSource(nameof(Configs))]
    public void Call_ExecutorConfig_ValueStackBudgetIs65535UnitsExactly(EngineConfig config)
    {
        // 200 locals + 3 = 203 units per frame: 322 frames use 65366 units, a 323rd would need 65569 > 65535. The frame
        // limit (1024) is not reached, so only a budget of exactly 65535 (±60) gives this boundary.
        using var store = new Store(new Engine(config));
        var down = WatCompiler.Instantiate(store, Recursion(200)).GetFunction("down")!;
        Assert.That(down.Invoke(Value.FromI32(321))[0].I32, Is.EqualTo(321), "322 frames");
        var trap = Assert.Throws<WasmTrapException>(() => down.Invoke(Value.FromI32(322)))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.StackOverflow));
        Assert.That(down.Invoke(Value.FromI32(321))[0].I32, Is.EqualTo(321), "the budget is restored after the trap");
    }

    [Test]
    public void Compile_DetConfig_FunctionCostAbove65535Fails()
    {
        // One declared local + an operand stack 65535 deep = 65536 units: more than the whole budget (§13).
        var pushes = string.Concat(Enumerable.Repeat("(i32.const 0)", 65535));
        var drops = string.Concat(Enumerable.Repeat("(drop)", 65535));
        var engine = new Engine(VmRunner.DeterministicConfig());
        Assert.Throws<ModuleValidationException>(() => WatCompiler.Load(engine, $"(module (func (local i32) {pushes} {drops}))"));
    }
}
