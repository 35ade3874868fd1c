using System.Text;
using GenVm.Wasm;
using GenVm.Wasm.Compilation;
using GenVm.Tests.Wasm.Spec;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// Lazy compilation (<see cref="LazyModule"/>): the same results, traps, backtraces, frame counts and fuel as the eager
/// form; complete validation at load; concurrent first calls; the compile cache written in the background.
/// </summary>
[TestFixture]
public sealed class LazyModuleTests
{
    /// <summary>Functions in <see cref="Chain"/>: several groups of <see cref="LazyModule.GroupSize"/>.</summary>
    private const int ChainLength = 70;

    private static readonly string Chain = BuildChain();

    /// <summary>Spec scripts run in lazy mode: calls, tail calls, tables, traps, linking, start, validation.</summary>
    private static readonly string[] SpecSubset =
    [
        "call.wast", "call_indirect.wast", "fac.wast", "func.wast", "br_table.wast", "traps.wast", "start.wast",
        "linking.wast", "imports.wast", "exports.wast", "memory_grow.wast", "global.wast", "unreachable.wast",
        "stack.wast", "table.wast", "elem.wast", "left-to-right.wast", "tail-call/return_call.wast",
        "tail-call/return_call_indirect.wast",
    ];

    private static Engine LazyEngine(EngineConfig? config = null) =>
        new((config ?? new EngineConfig()).WithLazyCompilation(LazyCompilation.Always));

    private static Engine EagerEngine(EngineConfig? config = null) =>
        new((config ?? new EngineConfig()).WithLazyCompilation(LazyCompilation.Never));

    [TestCaseSource(nameof(SpecSubset))]
    public void SpecScript_LazyCompilation_AllCommandsPass(string file)
    {
        Assume.That(SpecDiscovery.Files(), Does.Contain(file), "script in the test suite");
        var result = SpecScriptRunner.RunFile(file, LazyEngine());
        Assert.That(result.Failures, Is.Empty, result.Describe());
        Assert.That(result.Passed, Is.GreaterThan(0));
    }

    [Test]
    public void Load_LazyModule_EmitsNoFunctionUntilCalled()
    {
        var module = WatCompiler.Load(LazyEngine(), Chain);
        var lazy = module.Compiled.Lazy!;
        Assert.That(lazy.EmittedGroups, Is.Zero);
        using var store = new Store(module.Engine);
        var instance = new Linker(module.Engine).Instantiate(store, module);
        Assert.That(lazy.EmittedGroups, Is.Zero, "instantiation (table, exports) emits nothing");

        // "last" and f64..f69 share the last group: one call emits that group only.
        Assert.That(instance.GetFunction("last")!.Invoke(Value.FromI32(5))[0].I32, Is.EqualTo(5));
        Assert.That(lazy.EmittedGroups, Is.EqualTo(1));
        Assert.That(instance.GetFunction("run")!.Invoke(Value.FromI32(1))[0].I32, Is.EqualTo(Expected(1)));
        Assert.That(lazy.EmittedGroups, Is.EqualTo(lazy.GroupCount));
    }

    [Test]
    public void Load_AutoMode_SmallModuleIsEager()
    {
        var module = WatCompiler.Load(new Engine(), Chain);
        Assert.That(module.Compiled.Lazy, Is.Null, $"{ChainLength} functions <= {ModuleCompiler.FullOptsFunctionLimit}");
    }

    [Test]
    public void Load_InvalidFunctionInLaterGroup_RejectedAtLoad()
    {
        // The type error is in the 41st function (i64.eqz on an i32, patched into the binary, which wat2wasm would
        // refuse to write): validation is complete before anything runs.
        var wat = Chain.Replace("(func $f40 (param i32) (result i32)", "(func $f40 (param i32) (result i32) (drop (i32.eqz (i32.const 7)))", StringComparison.Ordinal);
        var wasm = WatCompiler.Compile(wat).ToArray();
        var at = wasm.AsSpan().IndexOf(new byte[] { 0x41, 0x07, 0x45, 0x1a });
        Assert.That(at, Is.GreaterThan(0));
        wasm[at + 2] = 0x50;
        Assert.Throws<ModuleValidationException>(() => Module.FromBytes(LazyEngine(), wasm));
        Assert.Throws<ModuleValidationException>(() => Module.FromBytes(EagerEngine(), wasm));
    }

    [TestCase(0)]
    [TestCase(7)]
    [TestCase(123)]
    public void Run_LazyAndEager_SameResultsAndFuel(int argument)
    {
        var (lazyResult, lazyFuel) = RunWithFuel(LazyEngine(new EngineConfig().WithFuel(true)), "run", argument);
        var (eagerResult, eagerFuel) = RunWithFuel(EagerEngine(new EngineConfig().WithFuel(true)), "run", argument);
        Assert.That(lazyResult, Is.EqualTo(Expected(argument)));
        Assert.That(eagerResult, Is.EqualTo(lazyResult));
        Assert.That(lazyFuel, Is.EqualTo(eagerFuel));
    }

    [Test]
    public void Fuel_CheckedInPrograms_SameCountsWhenLazy()
    {
        // The programs and counts of FuelTests (pinned there): lazily compiled, the counts do not move.
        using var store = new Store(LazyEngine(new EngineConfig().WithFuel(true)));
        var instance = WatCompiler.Instantiate(store, FuelTests.Programs);
        store.SetFuel(1_000_000);
        Assert.That(instance.GetFunction("sum")!.Invoke(Value.FromI32(10))[0].I32, Is.EqualTo(55));
        Assert.That(1_000_000 - store.GetFuel(), Is.EqualTo(124));
        store.SetFuel(1_000_000);
        Assert.That(instance.GetFunction("fib")!.Invoke(Value.FromI32(10))[0].I32, Is.EqualTo(55));
        Assert.That(1_000_000 - store.GetFuel(), Is.EqualTo(1589));
    }

    [Test]
    public void Trap_AcrossGroups_SameCodeAndBacktraceAsEager()
    {
        var lazy = Trap(LazyEngine());
        var eager = Trap(EagerEngine());
        Assert.That(lazy.Code, Is.EqualTo(TrapCode.IntegerDivisionByZero));
        Assert.That(lazy.Code, Is.EqualTo(eager.Code));
        Assert.That(lazy.Frames, Has.Count.EqualTo(ChainLength + 1), "run, then f0..f69; forwarders are no frames");
        Assert.That(lazy.Frames.Select(f => (f.FunctionIndex, f.CodeOffset)), Is.EqualTo(eager.Frames.Select(f => (f.FunctionIndex, f.CodeOffset))));
    }

    [Test]
    public void Call_1024FramesAcrossGroups_SucceedsAnd1025TrapsLikeEager()
    {
        // "down" recurses through a function of another group (forwarder, then plain calls once emitted): the
        // frame count is that of wasm calls only.
        const string Recursion = """
            (module
              (func $down (export "down") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $other (i32.sub (local.get 0) (i32.const 1)))))))
              PADDING
              (func $other (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
            """;
        var wat = Recursion.Replace("PADDING", string.Concat(Enumerable.Range(0, 40).Select(i => $"(func $pad{i})")), StringComparison.Ordinal);
        foreach (var engine in new[] { LazyEngine(), EagerEngine() })
        {
            using var store = new Store(engine);
            var down = WatCompiler.Instantiate(store, wat).GetFunction("down")!;
            Assert.That(down.Invoke(Value.FromI32(1023))[0].I32, Is.EqualTo(1023));
            var trap = Assert.Throws<WasmTrapException>(() => down.Invoke(Value.FromI32(1024)))!;
            Assert.That(trap.Code, Is.EqualTo(TrapCode.StackOverflow));
            Assert.That(down.Invoke(Value.FromI32(1023))[0].I32, Is.EqualTo(1023));
        }
    }

    [Test]
    public void Call_ManyThreadsFirstCallsAtOnce_AllSeeTheSameResults()
    {
        const int Threads = 16;
        var module = WatCompiler.Load(LazyEngine(), Chain);
        var instances = Enumerable.Range(0, Threads).Select(_ =>
        {
            var store = new Store(module.Engine);
            return (Store: store, Instance: new Linker(module.Engine).Instantiate(store, module));
        }).ToList();
        var start = new Barrier(Threads);
        var results = new int[Threads][];
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(
            () =>
            {
                try
                {
                    var instance = instances[t].Instance;
                    var viaTable = instance.GetFunction("via_table")!;
                    var run = instance.GetFunction("run")!;
                    start.SignalAndWait();

                    // Every thread enters the not-yet-emitted groups in a different order.
                    var order = Enumerable.Range(0, ChainLength).Select(i => (i * (t + 1) * 7919) % ChainLength).ToArray();
                    results[t] = [.. order.Select(i => viaTable.Invoke(Value.FromI32(i), Value.FromI32(t))[0].I32), run.Invoke(Value.FromI32(t))[0].I32];
                    var expected = order.Select(i => ExpectedFrom(i, t)).Append(Expected(t)).ToArray();
                    Assert.That(results[t], Is.EqualTo(expected));
                }
                catch (Exception ex)
                {
                    failures.Add(ex);
                }
            },
            16 * 1024 * 1024)).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        instances.ForEach(i => i.Store.Dispose());
        Assert.That(failures, Is.Empty);
        Assert.That(module.Compiled.Lazy!.EmittedGroups, Is.EqualTo(module.Compiled.Lazy.GroupCount), "each group emitted once");
    }

    [Test]
    public void Load_LazyCacheMiss_WritesEntryInBackgroundAndNextLoadHits()
    {
        var directory = Path.Combine(Path.GetTempPath(), "genvm-lazy-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var engine = LazyEngine(new EngineConfig().WithCacheDirectory(directory));
            var wasm = WatCompiler.Compile(Chain);
            var cold = Module.FromBytes(engine, wasm);
            Assert.That(cold.IsFromCache, Is.False);
            Assert.That(cold.Compiled.Lazy, Is.Not.Null);
            Assert.That(cold.PendingCacheWrite, Is.Not.Null);
            using (var store = new Store(engine))
            {
                Assert.That(new Linker(engine).Instantiate(store, cold).GetFunction("run")!.Invoke(Value.FromI32(3))[0].I32, Is.EqualTo(Expected(3)));
            }

            Assert.That(cold.PendingCacheWrite!.Wait(TimeSpan.FromMinutes(2)), Is.True);
            Assert.That(Directory.GetFiles(directory, "*" + ModuleCache.Extension), Has.Length.EqualTo(1));
            Assert.That(Directory.GetFiles(directory, "*.tmp"), Is.Empty, "no temporary file left");

            ModuleCache.Forget(ModuleCache.Key(engine.Config, wasm));
            var warm = Module.FromBytes(engine, wasm);
            Assert.That(warm.IsFromCache, Is.True);
            Assert.That(warm.Compiled.Lazy, Is.Null, "the cache holds the eager image");
            using var warmStore = new Store(engine);
            Assert.That(new Linker(engine).Instantiate(warmStore, warm).GetFunction("run")!.Invoke(Value.FromI32(3))[0].I32, Is.EqualTo(Expected(3)));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Test]
    public void Fingerprint_LazyCompilationSetting_NotInCacheKey()
    {
        var wasm = WatCompiler.Compile(Chain);
        Assert.That(
            ModuleCache.Key(new EngineConfig().WithLazyCompilation(LazyCompilation.Always), wasm),
            Is.EqualTo(ModuleCache.Key(new EngineConfig().WithLazyCompilation(LazyCompilation.Never), wasm)));
    }

    /// <summary>f_i(x) = f_{i+1}(x + i) for i &lt; 69, f69(x) = 1000 / (x - 1000) + x; all in a table.</summary>
    private static string BuildChain()
    {
        var text = new StringBuilder("(module (type $t (func (param i32) (result i32)))\n");
        text.Append("  (table ").Append(ChainLength).Append(" funcref)\n");
        text.Append("  (elem (i32.const 0)");
        for (var i = 0; i < ChainLength; i++)
        {
            text.Append(" $f").Append(i);
        }

        text.Append(")\n");
        for (var i = 0; i < ChainLength; i++)
        {
            text.Append("  (func $f").Append(i).Append(" (param i32) (result i32)");
            text.Append(i < ChainLength - 1
                ? $" (call $f{i + 1} (i32.add (local.get 0) (i32.const {i}))))\n"
                : " (i32.add (i32.div_s (i32.const 1000) (i32.sub (local.get 0) (i32.const 1000))) (local.get 0)))\n");
        }

        text.Append("  (func (export \"run\") (param i32) (result i32) (call $f0 (local.get 0)))\n");
        text.Append("  (func (export \"via_table\") (param i32 i32) (result i32) (call_indirect (type $t) (local.get 1) (local.get 0)))\n");
        text.Append("  (func (export \"last\") (param i32) (result i32) (i32.sub (call $f").Append(ChainLength - 1).Append(" (local.get 0)) (i32.div_s (i32.const 1000) (i32.sub (local.get 0) (i32.const 1000)))))\n");
        text.Append(')');
        return text.ToString();
    }

    /// <summary>The result of f_start(x).</summary>
    private static int ExpectedFrom(int start, int x)
    {
        for (var i = start; i < ChainLength - 1; i++)
        {
            x += i;
        }

        return (1000 / (x - 1000)) + x;
    }

    private static int Expected(int x) => ExpectedFrom(0, x);

    private static (int Result, ulong Fuel) RunWithFuel(Engine engine, string function, int argument)
    {
        using var store = new Store(engine);
        var instance = WatCompiler.Instantiate(store, Chain);
        store.SetFuel(1_000_000);
        var result = instance.GetFunction(function)!.Invoke(Value.FromI32(argument))[0].I32;
        return (result, 1_000_000 - store.GetFuel());
    }

    private static WasmTrapException Trap(Engine engine)
    {
        using var store = new Store(engine);
        var run = WatCompiler.Instantiate(store, Chain).GetFunction("run")!;

        // x + (0 + 1 + ... + 68) = 1000 divides by zero in f69.
        var x = 1000 - (ChainLength - 1) * (ChainLength - 2) / 2;
        return Assert.Throws<WasmTrapException>(() => run.Invoke(Value.FromI32(x)))!;
    }
}
