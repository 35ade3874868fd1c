using System.Diagnostics;
using GenVm.Tests.Wasm.Binary;
using GenVm.Wasm;
using GenVm.Wasm.Binary;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// Mutation fuzzing past the decoder (issue 4: no input can crash the process): mutated spec-suite modules that still
/// validate are compiled under each float policy, instantiated in a small pool and every exported function is called
/// with zero arguments under fuel. Each step may only fail with a <see cref="WasmException"/> (decode, validation,
/// link, OOM, trap including <c>OutOfFuel</c>); anything else, or a hang, is a failure.
/// </summary>
[TestFixture]
public sealed class CompilerFuzzTests
{
    private const int Seed = 4242;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(180);

    private static readonly string[] CorpusScripts =
    [
        "block.wast", "br_table.wast", "bulk.wast", "call_indirect.wast", "conversions.wast", "f64.wast", "float_exprs.wast",
        "global.wast", "i32.wast", "i64.wast", "if.wast", "left-to-right.wast", "local_tee.wast", "loop.wast",
        "memory_grow.wast", "memory_fill.wast", "select.wast", "stack.wast", "table_grow.wast", "unwind.wast",
        "tail-call/return_call.wast", "tail-call/return_call_indirect.wast",
    ];

    private static readonly byte[] Interesting = [0x00, 0x01, 0x0B, 0x0C, 0x0D, 0x0E, 0x10, 0x11, 0x12, 0x1A, 0x20, 0x21, 0x28, 0x36, 0x40, 0x41, 0x6A, 0x7F, 0x80, 0xFF];

    [Test]
    public void CompileAndRun_MutatedValidModules_OnlyWasmExceptions()
    {
        Assert.That(WastJson.ToolAvailable(), Is.True, "wast2json (Debian package wabt) is required: scripts/install-deps");
        if (!Directory.Exists(WastJson.SuiteDirectory))
        {
            Assert.Ignore($"spec test suite not found at {WastJson.SuiteDirectory}");
        }

        var corpus = LoadCorpus();
        Assert.That(corpus, Has.Count.GreaterThan(50), "import-free spec modules");
        var engines = new[] { FloatPolicy.Native, FloatPolicy.Trap, FloatPolicy.SoftFloat }
            .Select(p => new Engine(new EngineConfig().WithFloatPolicy(p).WithFuel(true))).ToArray();

        var failures = new List<string>();
        long cases = 0, compiled = 0, calls = 0;
        var run = Task.Run(() =>
        {
            var random = new Random(Seed);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Budget && failures.Count < 10)
            {
                var input = Mutate(corpus[random.Next(corpus.Count)], random);
                var engine = engines[cases++ % engines.Length];
                var step = "compile";
                try
                {
                    var module = Module.FromBytes(engine, input);
                    compiled++;
                    step = "instantiate";
                    using var store = new Store(engine, new ResourcePool(16L << 20));
                    store.SetFuel(100_000);
                    var instance = new Linker(engine).Instantiate(store, module);
                    foreach (var export in module.Exports.Where(e => e.Kind == ExternKind.Func))
                    {
                        var func = instance.GetFunction(export.Name)!;
                        step = "call " + export.Name;
                        store.SetFuel(100_000);
                        try
                        {
                            calls++;
                            func.Invoke(func.Type.Parameters.Select(Value.Default).ToArray());
                        }
                        catch (WasmException)
                        {
                            // A trap (including OutOfFuel) is an allowed end of a call.
                        }
                    }
                }
                catch (WasmException)
                {
                    // Decode, validation, link, OOM or a start-function trap: allowed.
                }
#pragma warning disable CA1031 // The point of the test is to catch anything else.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failures.Add($"{step}: {e.GetType().Name}: {e.Message} input {Convert.ToHexString(input)}");
                }
            }
        });
        Assert.That(run.Wait(HangLimit), Is.True, "a compile or a fuelled call did not finish (hang?)");

        TestContext.Out.WriteLine($"corpus {corpus.Count} modules; {cases} cases, {compiled} compiled, {calls} calls");
        Assert.That(failures, Is.Empty);
        Assert.That(compiled, Is.GreaterThan(20), "mutants that validate reach the compiler");
        Assert.That(calls, Is.GreaterThan(20));
    }

    private static List<byte[]> LoadCorpus()
    {
        var directory = WastJson.NewTempDirectory("genvm-compiler-fuzz");
        try
        {
            var modules = new List<byte[]>();
            foreach (var script in CorpusScripts)
            {
                foreach (var command in WastJson.Convert(script, Path.Combine(directory, Path.GetFileNameWithoutExtension(script)), out _) ?? [])
                {
                    if (command.Type == "module" && command.ModuleType == "binary")
                    {
                        var bytes = File.ReadAllBytes(command.ModulePath);
                        if (ModuleDecoder.Decode(bytes, WasmFeatures.Default).Imports.Count == 0)
                        {
                            modules.Add(bytes);
                        }
                    }
                }
            }

            return modules;
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    // Small edits keep many mutants valid: most land in code section bytes, where a changed opcode or immediate either
    // fails validation or gives new code the compiler has not seen.
    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 8; e++)
        {
            var at = random.Next(8, bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
            }
        }

        return [.. bytes];
    }
}
