using System.Globalization;
using System.Reflection;
using System.Text;
using GenVm.Wasm;
using Module = GenVm.Wasm.Module;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// Loop versioning (<c>LoopVersioning</c>, <c>FunctionCompiler.LoopVersions.cs</c>): counted loops whose accesses are
/// proven in bounds by one guard before the loop run a copy without those checks. Every width, offset, step and exit
/// test, driven to the memory's edge, one byte past it, through counter and address wrap-around and after
/// <c>memory.grow</c>, must give the same results, the same trap (code and function) and the same memory bytes
/// (stores before the trapping access done, none after) as the engine without versioning.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class LoopVersioningTests
{
    private const int MemoryBytes = 65536;

    // (name, store, load, size, value from $i, loaded value to i32)
    private static readonly (string Name, string Store, string Load, int Size, string Value, string Back)[] Widths =
    [
        ("i32", "i32.store", "i32.load", 4, "", ""),
        ("i64", "i64.store", "i64.load", 8, "i64.extend_i32_u", "i32.wrap_i64"),
        ("f32", "f32.store", "f32.load", 4, "f32.reinterpret_i32", "i32.reinterpret_f32"),
        ("f64", "f64.store", "f64.load", 8, "i64.extend_i32_u f64.reinterpret_i64", "i64.reinterpret_f64 i32.wrap_i64"),
        ("i32_8", "i32.store8", "i32.load8_u", 1, "", ""),
        ("i32_16", "i32.store16", "i32.load16_s", 2, "", ""),
        ("i64_8", "i64.store8", "i64.load8_s", 1, "i64.extend_i32_u", "i32.wrap_i64"),
        ("i64_16", "i64.store16", "i64.load16_u", 2, "i64.extend_i32_u", "i32.wrap_i64"),
        ("i64_32", "i64.store32", "i64.load32_u", 4, "i64.extend_i32_u", "i32.wrap_i64"),
    ];

    private static readonly string[] Compares = ["ne", "lt_u", "lt_s", "gt_u"];

    private static readonly uint[] Offsets = [0, 3, 65532];

    private static readonly int[] Steps = [1, 4];

    private static readonly Lazy<string> Kernels = new(BuildKernels);

    // One compile per setting, shared by the tests (each test instantiates its own stores).
    private static readonly Lazy<Module> KernelsVersioned = new(() => Load(Kernels.Value, versioning: true));
    private static readonly Lazy<Module> KernelsPlain = new(() => Load(Kernels.Value, versioning: false));

    private static IEnumerable<TestCaseData> Shapes() =>
        from width in Widths
        from compare in Compares
        select new TestCaseData(width.Name, compare).SetName($"Invoke_{width.Name}_{compare}_SameResultsTrapsAndMemory");

    [TestCaseSource(nameof(Shapes))]
    public void Invoke_EdgeCases_SameResultsTrapsAndMemory(string width, string compare)
    {
        var size = Widths.Single(w => w.Name == width).Size;
        var versioned = Instantiate(KernelsVersioned.Value);
        var plain = Instantiate(KernelsPlain.Value);
        var calls = 0;
        foreach (var offset in Offsets)
        {
            foreach (var step in Steps)
            {
                var name = FunctionName(width, compare, offset, step);
                foreach (var (start, limit, @base) in Arguments(size, offset, step))
                {
                    var label = $"{name}({start}, {limit}, {@base})";
                    var a = Outcome(versioned.Instance, name, start, limit, @base);
                    var b = Outcome(plain.Instance, name, start, limit, @base);
                    Assert.That(a, Is.EqualTo(b), label);
                    Assert.That(versioned.Memory.ToArray().AsSpan().SequenceEqual(plain.Memory.ToArray()), Is.True, label + ": memory");
                    calls++;
                }
            }
        }

        Assert.That(calls, Is.GreaterThan(50));
        versioned.Store.Dispose();
        plain.Store.Dispose();
    }

    [Test]
    public void Invoke_LastIterationOnePastEdge_TrapsWithEarlierStoresDone()
    {
        // i32.store at base+i for i = 0,4,..,60: the last store is one byte past the end; the 15 before it happen.
        var kernels = Instantiate(KernelsVersioned.Value);
        var name = FunctionName("i32", "ne", 0, 4);
        var @base = MemoryBytes - 64 + 1;
        var trap = Assert.Throws<WasmTrapException>(() => kernels.Instance.GetFunction(name)!.Invoke(
            [Value.FromI32(0), Value.FromI32(64), Value.FromI32(@base)]))!;
        Assert.That(trap.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(BitConverter.ToInt32(kernels.Memory.ToArray(), @base + 56), Is.EqualTo(56));
        Assert.That(kernels.Memory.ToArray()[^3..], Is.EqualTo(new byte[3]), "the trapping store wrote nothing");
        kernels.Store.Dispose();
    }

    [Test]
    public void Invoke_InBoundsToTheLastByte_Completes()
    {
        var kernels = Instantiate(KernelsVersioned.Value);
        var name = FunctionName("i64", "lt_u", 3, 4);
        var @base = MemoryBytes - 3 - 8 - 60;
        var result = kernels.Instance.GetFunction(name)!.Invoke([Value.FromI32(0), Value.FromI32(64), Value.FromI32(@base)]);
        Assert.That(result[0].I32, Is.EqualTo(Enumerable.Range(0, 16).Sum(k => k * 4)));
        Assert.That(BitConverter.ToInt64(kernels.Memory.ToArray(), MemoryBytes - 8), Is.EqualTo(60));
        kernels.Store.Dispose();
    }

    [Test]
    public void Compile_CountedLoop_IsVersioned()
    {
        // The guarded copy doubles the loop: if the analysis stopped accepting clang's loop shape, this fails.
        var name = FunctionName("i32", "ne", 0, 4);
        Assert.That(IlSize(Kernels.Value, name, versioning: true), Is.GreaterThan(IlSize(Kernels.Value, name, versioning: false) * 3 / 2));
    }

    [Test]
    public void Compile_LoopWithInnerBackEdge_IsNotVersioned()
    {
        // A `br 1` back to the loop head from inside a block: the iteration count is unknown, nothing to prove.
        const string wat = """
            (module (memory (export "memory") 1)
              (func (export "f") (param $n i32) (local $i i32)
                loop
                  block
                    local.get $i
                    i32.const 7
                    i32.and
                    br_if 0
                    local.get $i
                    i32.const 1
                    i32.add
                    local.set $i
                    br 1
                  end
                  local.get $i
                  local.get $i
                  i32.store
                  local.get $i
                  i32.const 1
                  i32.add
                  local.tee $i
                  local.get $n
                  i32.ne
                  br_if 0
                end))
            """;
        Assert.That(IlSize(wat, "f", versioning: true), Is.EqualTo(IlSize(wat, "f", versioning: false)));
    }

    [TestCase(2, 100)]
    [TestCase(2, 40_000)]
    [TestCase(1, 70_000)]
    [TestCase(3, 131_000)]
    public void Invoke_GrowInsideLoop_SameAsUnversioned(int growAt, int limit)
    {
        // The body calls a function that grows the memory at iteration `growAt`; accesses beyond the first page are
        // then valid. The guard, taken at loop entry, fails for them: the checked copy runs, with the new length.
        const string wat = """
            (module (memory (export "memory") 1 3)
              (func $grow (param $i i32) (param $at i32)
                local.get $i
                local.get $at
                i32.eq
                if
                  i32.const 1
                  memory.grow
                  drop
                end)
              (func (export "f") (param $at i32) (param $n i32) (param $unused i32) (result i32) (local $i i32) (local $sum i32)
                loop
                  local.get $i
                  local.get $at
                  call $grow
                  local.get $i
                  local.get $i
                  i32.store8
                  local.get $sum
                  local.get $i
                  i32.load8_u
                  i32.add
                  local.set $sum
                  local.get $i
                  i32.const 1
                  i32.add
                  local.tee $i
                  local.get $n
                  i32.lt_u
                  br_if 0
                end
                local.get $sum))
            """;
        var versioned = Instantiate(wat, versioning: true);
        var plain = Instantiate(wat, versioning: false);
        var a = Outcome(versioned.Instance, "f", growAt, limit, 0);
        var b = Outcome(plain.Instance, "f", growAt, limit, 0);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(versioned.Memory.ToArray(), Is.EqualTo(plain.Memory.ToArray()));
        Assert.That(a, limit <= 2 * MemoryBytes ? Does.StartWith("ok") : Does.StartWith("trap MemoryOutOfBounds"));
        versioned.Store.Dispose();
        plain.Store.Dispose();
    }

    [TestCase(0, 16, 0)]
    [TestCase(0, 16, 65536 - 64)]
    [TestCase(0, 16, 65536 - 63)]
    [TestCase(1, 17, 65536 - 68)]
    [TestCase(0, 0x4000, 0)]
    [TestCase(0, 0x4001, 0)]
    [TestCase(0x3FFFFFF0, 0x40000000, 0x40)]
    [TestCase(-16, 16, 64)]
    public void Invoke_ScaledIndex_SameAsUnversioned(int start, int limit, int @base)
    {
        // a[i] with i << 2 (clang's int indexing), a[i] with i * 12 - 4 (a struct field), and a 64 KiB stride
        // (i * 65536) whose guard fails as soon as the loop has two iterations, sending the loop to the checked copy.
        const string wat = """
            (module (memory (export "memory") 1)
              (func (export "f") (param $i i32) (param $n i32) (param $b i32) (result i32) (local $acc i32)
                loop
                  local.get $i i32.const 2 i32.shl local.get $b i32.add local.get $i i32.store
                  local.get $acc
                  local.get $i i32.const 12 i32.mul i32.const 4 i32.sub local.get $b i32.add i32.load offset=8
                  i32.add
                  local.get $i i32.const 65536 i32.mul i32.load16_u
                  i32.add
                  local.set $acc
                  local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.lt_s
                  br_if 0
                end
                local.get $acc))
            """;
        var versioned = Instantiate(wat, versioning: true);
        var plain = Instantiate(wat, versioning: false);
        Assert.That(Outcome(versioned.Instance, "f", start, limit, @base), Is.EqualTo(Outcome(plain.Instance, "f", start, limit, @base)));
        Assert.That(versioned.Memory.ToArray().AsSpan().SequenceEqual(plain.Memory.ToArray()), Is.True, "memory");
        versioned.Store.Dispose();
        plain.Store.Dispose();
    }

    private static IEnumerable<(int Start, int Limit, int Base)> Arguments(int size, uint offset, int step)
    {
        var edge = MemoryBytes - (int)offset - size; // the largest in-bounds address
        var span = 16 * step;
        yield return (0, 64, 0);
        yield return (0, span, edge - (span - step)); // last access ends at the last byte
        yield return (0, span, edge - (span - step) + 1); // last access one byte past the end
        yield return (0, step, edge); // one iteration, at the edge
        yield return (0, step, edge + 1);
        yield return (8, 8, edge - 200); // start == limit
        yield return (0, span + 1, edge - span); // the step does not divide the span
        yield return (100, 4, 0); // start beyond the limit
        yield return (-8, 64, 16); // negative start: base + i wraps to a valid address
        yield return (unchecked((int)0xFFFFFFF0), -1, 0x20); // counter near 2^32: wraps
        yield return (0x100, 0x200, unchecked((int)0xFFFFFF00)); // address wraps through 2^32 to 0
        yield return (0, 0x7FFFFFF0, 0); // huge limit: runs to the edge
        yield return (int.MaxValue - 40, int.MaxValue, 0); // signed limit edge
    }

    private static string Outcome(Instance instance, string name, int start, int limit, int @base)
    {
        try
        {
            var result = instance.GetFunction(name)!.Invoke([Value.FromI32(start), Value.FromI32(limit), Value.FromI32(@base)]);
            return "ok " + (result.Length == 0 ? "" : result[0].I32.ToString(CultureInfo.InvariantCulture));
        }
        catch (WasmTrapException trap)
        {
            // The frame's CodeOffset is best-effort (RyuJIT merges identical throw blocks; docs/decisions.md): not compared.
            return $"trap {trap.Code} in {trap.Frames.FirstOrDefault()?.FunctionIndex}";
        }
    }

    private static string FunctionName(string width, string compare, uint offset, int step) => $"{width}_{compare}_{offset}_{step}";

    private static string BuildKernels()
    {
        var text = new StringBuilder("(module (memory (export \"memory\") 1)\n");
        foreach (var width in Widths)
        {
            foreach (var compare in Compares)
            {
                foreach (var offset in Offsets)
                {
                    foreach (var step in Steps)
                    {
                        // clang's rotated loop: store, load, accumulate, step, test, br_if.
                        var next = $"local.get $i i32.const {step} i32.add local.tee $i";
                        var exit = compare == "gt_u" ? $"local.get $n {next} i32.gt_u" : $"{next} local.get $n i32.{compare}";
                        text.Append(CultureInfo.InvariantCulture, $"""
                              (func (export "{FunctionName(width.Name, compare, offset, step)}") (param $i i32) (param $n i32) (param $b i32) (result i32) (local $acc i32)
                                loop
                                  local.get $b local.get $i i32.add local.get $i {width.Value} {width.Store} offset={offset}
                                  local.get $acc local.get $b local.get $i i32.add {width.Load} offset={offset} {width.Back} i32.add local.set $acc
                                  {exit}
                                  br_if 0
                                end
                                local.get $acc)

                            """);
                    }
                }
            }
        }

        return text.Append(')').ToString();
    }

    private static int IlSize(string wat, string export, bool versioning)
    {
        var module = Load(wat, versioning);
        var index = module.Definition.Exports.Single(e => e.Name == export).Index;
        var method = module.Compiled.FunctionsType.GetMethod("f" + index, BindingFlags.Public | BindingFlags.Static)!;
        return method.GetMethodBody()!.GetILAsByteArray()!.Length;
    }

    private static Module Load(string wat, bool versioning) =>
        WatCompiler.Load(new Engine(new EngineConfig().WithLoopVersioning(versioning)), wat);

    private static (Store Store, Instance Instance, MemoryView Memory) Instantiate(string wat, bool versioning) =>
        Instantiate(Load(wat, versioning));

    private static (Store Store, Instance Instance, MemoryView Memory) Instantiate(Module module)
    {
        var store = new Store(module.Engine);
        var instance = new Linker(module.Engine).Instantiate(store, module);
        return (store, instance, new MemoryView(instance.GetMemory("memory")!));
    }

    /// <summary>Reads the whole memory (its current length) as a copy.</summary>
    private sealed class MemoryView(Memory memory)
    {
        public byte[] ToArray() => memory.GetSpan(0, (int)memory.ByteLength).ToArray();
    }
}
