using System.Reflection;
using Module = GenVm.Wasm.Module;
using System.Text;
using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// Functions beyond RyuJIT's full-optimisation thresholds are split into outlined pieces
/// (<c>FunctionSplitter</c>): generated oversized functions must compile to methods within the thresholds and
/// behave exactly as the same module compiled without splitting (results, branches carrying values, returns from
/// inside pieces, traps and their backtraces, call depth, fuel).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class FunctionSplitterTests
{
    private const int Cases = 5_000;

    private static readonly Lazy<string> Interpreter = new(BuildInterpreter);
    private static readonly Lazy<string> DeepNest = new(BuildDeepNest);
    private static readonly Lazy<string> Recursive = new(BuildRecursive);
    private static readonly Lazy<string> ManyLocals = new(BuildManyLocals);

    [Test]
    public void Compile_BrTableInterpreter_EveryMethodWithinJitLimits()
    {
        var module = Load(Interpreter.Value, split: true);
        Assert.That(module.Compiled.Oversized, Is.Empty);
        var methods = module.Compiled.FunctionsType.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly);
        Assert.That(methods.Count(m => m.Name.StartsWith("f1_", StringComparison.Ordinal)), Is.GreaterThan(1), "pieces of the interpreter");
        foreach (var method in methods)
        {
            Assert.That(method.GetMethodBody()!.GetILAsByteArray()!, Has.Length.LessThanOrEqualTo(60_000), method.Name);
        }
    }

    [Test]
    public void Compile_WithoutSplitting_RecordsOversizedFunction()
    {
        var module = Load(Interpreter.Value, split: false);
        Assert.That(module.Compiled.Oversized.Select(o => o.FunctionIndex), Does.Contain(1u));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(4_999)]
    [TestCase(12_000)]
    public void Invoke_BrTableInterpreter_MatchesUnsplitAndReference(int steps)
    {
        var split = Run(Interpreter.Value, true, "run", Value.FromI32(steps));
        var plain = Run(Interpreter.Value, false, "run", Value.FromI32(steps));
        Assert.That(split[0].I32, Is.EqualTo(plain[0].I32));
        Assert.That(split[0].I32, Is.EqualTo(InterpreterReference(steps)));
    }

    [Test]
    public void Invoke_ReturnFromInsidePiece_ReturnsValue()
    {
        // Step ReturnAt of the interpreter returns 777 from inside a case body.
        Assert.That(Run(Interpreter.Value, true, "run", Value.FromI32(ReturnAt + 10))[0].I32, Is.EqualTo(777));
        Assert.That(InterpreterReference(ReturnAt + 10), Is.EqualTo(777));
    }

    [Test]
    public void Invoke_TrapInsidePiece_BacktraceNamesFunctionOnceWithOffset()
    {
        var bytes = WatCompiler.Compile(Interpreter.Value);
        var split = Trap(Interpreter.Value, true, "entry", Value.FromI32(TrapAt + 5));
        var plain = Trap(Interpreter.Value, false, "entry", Value.FromI32(TrapAt + 5));
        Assert.That(split.Code, Is.EqualTo(TrapCode.IntegerDivisionByZero));
        Assert.That(split.Frames.Select(f => f.FunctionIndex), Is.EqualTo(new uint[] { 1, 2 }));
        Assert.That(split.Frames.Select(f => f.FunctionIndex), Is.EqualTo(plain.Frames.Select(f => f.FunctionIndex)));
        Assert.That(split.Frames[0].CodeOffset, Is.EqualTo(plain.Frames[0].CodeOffset));
        Assert.That(bytes[split.Frames[0].CodeOffset!.Value], Is.EqualTo(0x6D), "i32.div_s");
        Assert.That(split.Frames[1].CodeOffset, Is.EqualTo(plain.Frames[1].CodeOffset));
    }

    [TestCase(0)]
    [TestCase(3)]
    [TestCase(57)]
    [TestCase(200)]
    [TestCase(399)]
    [TestCase(1_000)]
    public void Invoke_DeepNestBranchesCarryingValues_MatchesUnsplit(int x)
    {
        var module = Load(DeepNest.Value, split: true);
        Assert.That(module.Compiled.Oversized, Is.Empty);
        var split = Run(DeepNest.Value, true, "deep", Value.FromI32(x));
        var plain = Run(DeepNest.Value, false, "deep", Value.FromI32(x));
        Assert.That(split[0].I32, Is.EqualTo(plain[0].I32));
        Assert.That(split[1].I64, Is.EqualTo(plain[1].I64));
    }

    [Test]
    public void Invoke_RecursionThroughPieces_CountsWasmFramesOnly()
    {
        foreach (var splitting in new[] { true, false })
        {
            var engine = new Engine(new EngineConfig().WithMaxCallDepth(40).WithFunctionSplitting(splitting));
            using var store = new Store(engine);
            var module = WatCompiler.Load(engine, Recursive.Value);
            Assert.That(module.Compiled.Oversized, splitting ? Is.Empty : Is.Not.Empty);
            var rec = new Linker(engine).Instantiate(store, module).GetFunction("rec")!;

            // rec(d) is d + 1 frames deep: 40 frames fit, 41 do not.
            Assert.That(rec.Invoke(Value.FromI32(39))[0].I32, Is.EqualTo(RecursiveReference(39)), $"split={splitting}");
            var trap = Assert.Throws<WasmTrapException>(() => rec.Invoke(Value.FromI32(40)));
            Assert.That(trap!.Code, Is.EqualTo(TrapCode.StackOverflow), $"split={splitting}");
        }
    }

    [Test]
    public void Invoke_WithFuel_ConsumesSameFuelAsUnsplit()
    {
        ulong Consumed(bool splitting)
        {
            var engine = new Engine(new EngineConfig().WithFuel(true).WithFunctionSplitting(splitting));
            using var store = new Store(engine);
            store.SetFuel(1_000_000_000);
            var run = new Linker(engine).Instantiate(store, WatCompiler.Load(engine, Interpreter.Value)).GetFunction("run")!;
            run.Invoke(Value.FromI32(3_000));
            return 1_000_000_000 - store.GetFuel();
        }

        Assert.That(Consumed(true), Is.EqualTo(Consumed(false)).And.GreaterThan(3_000UL));
    }

    [Test]
    public void Invoke_ThousandsOfLocals_WithinJitLimitsAndMatchesUnsplit()
    {
        var module = Load(ManyLocals.Value, split: true);
        Assert.That(module.Compiled.Oversized, Is.Empty);
        var split = Run(ManyLocals.Value, true, "sum", Value.FromI32(9));
        var plain = Run(ManyLocals.Value, false, "sum", Value.FromI32(9));
        Assert.That(split[0].I64, Is.EqualTo(plain[0].I64));
    }

    // ----- generated modules -----

    private const int TrapAt = 4_321;
    private const int ReturnAt = 12_345;

    /// <summary>
    /// An interpreter loop: step i dispatches through a 5,000-target br_table (nested blocks, as clang emits a
    /// switch) to a case body updating an accumulator; a branch carrying the result leaves the loop after n steps.
    /// </summary>
    private static string BuildInterpreter()
    {
        var wat = new StringBuilder();
        wat.AppendLine("(module");
        wat.AppendLine("  (func $helper (param i32) (result i32) (i32.add (local.get 0) (i32.const 3)))");
        wat.AppendLine("  (func $run (export \"run\") (param $n i32) (result i32) (local $i i32) (local $acc i32) (local $t i64)");
        wat.AppendLine("    block $done (result i32)");
        wat.AppendLine("    loop $next");
        wat.AppendLine("      (if (i32.ge_u (local.get $i) (local.get $n)) (then (br $done (local.get $acc))))");
        for (var k = Cases - 1; k >= 0; k--)
        {
            wat.Append("      block $c").Append(k).AppendLine();
        }

        wat.Append("      (br_table");
        for (var k = 0; k < Cases; k++)
        {
            wat.Append(" $c").Append(k);
        }

        wat.AppendLine(" $c0 (i32.rem_u (i32.mul (local.get $i) (i32.const 7919)) (i32.const " + Cases + ")))");
        for (var k = 0; k < Cases; k++)
        {
            wat.AppendLine("      end");
            wat.Append("      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (i32.xor (local.get $i) (i32.const ").Append(k).AppendLine("))))");
            switch (k % 7)
            {
                case 0:
                    wat.Append("      (if (i32.and (local.get $acc) (i32.const 1)) (then (local.set $acc (i32.add (local.get $acc) (i32.const ").Append(k)
                        .AppendLine(")))) (else (local.set $acc (i32.sub (local.get $acc) (local.get $i)))))");
                    break;
                case 3:
                    wat.AppendLine("      (local.set $t (i64.mul (i64.extend_i32_u (local.get $acc)) (i64.const 1000003)))");
                    wat.AppendLine("      (local.set $acc (i32.wrap_i64 (i64.shr_u (local.get $t) (i64.const 7))))");
                    break;
                case 5:
                    wat.AppendLine("      (local.set $acc (call $helper (local.get $acc)))");
                    break;
            }

            if (k == TrapAt * 7919 % Cases)
            {
                // Divides by zero only at step TrapAt of a run of TrapAt + 5 steps.
                wat.Append("      (local.set $acc (i32.add (local.get $acc) (i32.div_s (i32.const 1) (i32.or (i32.sub (local.get $i) (i32.const ").Append(TrapAt)
                    .Append(")) (i32.sub (local.get $n) (i32.const ").Append(TrapAt + 5).AppendLine("))))))");
            }

            if (k == ReturnAt * 7919 % Cases)
            {
                wat.Append("      (if (i32.eq (local.get $i) (i32.const ").Append(ReturnAt).AppendLine(")) (then (return (i32.const 777))))");
            }

            wat.AppendLine("      (local.set $i (i32.add (local.get $i) (i32.const 1)))");
            wat.AppendLine("      (br $next)");
        }

        wat.AppendLine("    end");
        wat.AppendLine("    unreachable");
        wat.AppendLine("    end)");
        wat.AppendLine("  (func (export \"entry\") (param i32) (result i32) (i32.add (call $run (local.get 0)) (i32.const 1))))");
        return wat.ToString();
    }

    private static int InterpreterReference(int n)
    {
        var acc = 0;
        for (var i = 0; i < n; i++)
        {
            var k = (int)((uint)(i * 7919) % Cases);
            acc = (acc * 31) + (i ^ k);
            switch (k % 7)
            {
                case 0:
                    acc = (acc & 1) != 0 ? acc + k : acc - i;
                    break;
                case 3:
                    var t = (ulong)(uint)acc * 1000003UL;
                    acc = (int)(uint)(t >> 7);
                    break;
                case 5:
                    acc += 3;
                    break;
            }

            if (k == TrapAt * 7919 % Cases)
            {
                acc += 1 / ((i - TrapAt) | (n - TrapAt - 5));
            }

            if (k == ReturnAt * 7919 % Cases && i == ReturnAt)
            {
                return 777;
            }
        }

        return acc;
    }

    /// <summary>
    /// 400 nested blocks with (i32 i64) results and straight-line code at every level; depending on the argument,
    /// br_if and br_table leave inner levels for outer ones carrying values, or return from deep inside.
    /// </summary>
    private static string BuildDeepNest()
    {
        const int depth = 400;
        var wat = new StringBuilder();
        wat.AppendLine("(module");
        wat.AppendLine("  (func (export \"deep\") (param $x i32) (result i32 i64) (local $a i32) (local $b i64) (local $s i32)");
        for (var d = 0; d < depth; d++)
        {
            wat.Append("    block $L").Append(d).AppendLine(" (result i32 i64)");
            wat.Append("    (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 17)) (i32.const ").Append(d).AppendLine(")))");
        }

        wat.AppendLine("    (local.get $s) (i64.const 2)");
        for (var d = depth - 1; d >= 0; d--)
        {
            wat.AppendLine("    end");
            wat.AppendLine("    (local.set $b) (local.set $a)");
            for (var f = 0; f < 12; f++)
            {
                wat.Append("    (local.set $s (i32.xor (i32.rotl (local.get $s) (i32.const ").Append((f % 31) + 1).Append(")) (i32.add (local.get $a) (i32.const ").Append(f).AppendLine(")))) ");
                wat.Append("    (local.set $b (i64.add (local.get $b) (i64.extend_i32_s (local.get $s))))").AppendLine();
            }

            if (d > 0)
            {
                var outer = d / 2;
                wat.Append("    (br_if $L").Append(outer).Append(" (i32.add (local.get $a) (i32.const ").Append(d).Append(")) (i64.mul (local.get $b) (i64.const 3)) (i32.eq (local.get $x) (i32.const ").Append(d).AppendLine(")))");
                wat.Append("    (drop) (drop)").AppendLine();
                if (d % 50 == 7)
                {
                    wat.Append("    (if (i32.eq (local.get $x) (i32.const ").Append(d + 1000).AppendLine(")) (then (return (local.get $s) (local.get $b))))");
                    wat.Append("    (local.get $a) (local.get $b) (i32.rem_u (local.get $x) (i32.const 3))");
                    wat.Append(" (br_table $L").Append(d - 1).Append(" $L").Append(outer).Append(" $L").Append(d - 1).AppendLine(")");
                    continue;
                }
            }

            wat.Append("    (i32.add (local.get $a) (local.get $s)) (i64.xor (local.get $b) (i64.const ").Append(d).AppendLine("))");
        }

        wat.AppendLine("  ))");
        return wat.ToString();
    }

    /// <summary>A large function calling itself from inside a region that becomes a piece.</summary>
    private static string BuildRecursive()
    {
        var wat = new StringBuilder();
        wat.AppendLine("(module");
        wat.AppendLine("  (func $rec (export \"rec\") (param $d i32) (result i32) (local $s i32)");
        wat.AppendLine("    (if (i32.eqz (local.get $d)) (then (return (i32.const 1))))");
        for (var r = 0; r < 40; r++)
        {
            wat.AppendLine("    (block");
            for (var f = 0; f < 120; f++)
            {
                wat.Append("      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 3)) (i32.const ").Append(f).AppendLine(")))");
            }

            if (r == 20)
            {
                wat.AppendLine("      (local.set $s (i32.add (local.get $s) (call $rec (i32.sub (local.get $d) (i32.const 1)))))");
            }

            wat.AppendLine("    )");
        }

        wat.AppendLine("    (local.get $s)))");
        return wat.ToString();
    }

    private static int RecursiveReference(int d)
    {
        if (d == 0)
        {
            return 1;
        }

        var s = 0;
        for (var r = 0; r < 40; r++)
        {
            for (var f = 0; f < 120; f++)
            {
                s = (s * 3) + f;
            }

            if (r == 20)
            {
                s += RecursiveReference(d - 1);
            }
        }

        return s;
    }

    /// <summary>2,500 i64 locals, each written and read in a loop.</summary>
    private static string BuildManyLocals()
    {
        const int count = 2_500;
        var wat = new StringBuilder();
        wat.AppendLine("(module");
        wat.Append("  (func (export \"sum\") (param $n i32) (result i64) (local $acc i64)");
        for (var i = 0; i < count; i++)
        {
            wat.Append(" (local $v").Append(i).Append(" i64)");
        }

        wat.AppendLine();
        wat.AppendLine("    (loop $again");
        for (var i = 0; i < count; i++)
        {
            wat.Append("      (local.set $v").Append(i).Append(" (i64.add (local.get $v").Append((i + 1) % count).Append(") (i64.const ").Append(i).AppendLine(")))");
        }

        wat.AppendLine("      (local.set $n (i32.sub (local.get $n) (i32.const 1)))");
        wat.AppendLine("      (br_if $again (local.get $n)))");
        for (var i = 0; i < count; i += 97)
        {
            wat.Append("    (local.set $acc (i64.add (local.get $acc) (local.get $v").Append(i).AppendLine(")))");
        }

        wat.AppendLine("    (local.get $acc)))");
        return wat.ToString();
    }

    // ----- helpers -----

    private static Module Load(string wat, bool split) =>
        WatCompiler.Load(new Engine(new EngineConfig().WithFunctionSplitting(split)), wat);

    private static Value[] Run(string wat, bool split, string name, params Value[] args)
    {
        var engine = new Engine(new EngineConfig().WithFunctionSplitting(split));
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, WatCompiler.Load(engine, wat));
        return instance.GetFunction(name)!.Invoke(args);
    }

    private static WasmTrapException Trap(string wat, bool split, string name, params Value[] args)
    {
        var engine = new Engine(new EngineConfig().WithFunctionSplitting(split));
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, WatCompiler.Load(engine, wat));
        return Assert.Throws<WasmTrapException>(() => instance.GetFunction(name)!.Invoke(args))!;
    }
}
